// Manual power on the real server and station processes (issue #9 §1, §6): the emulated slots are
// switched by the operator, not by the station (EMULATOR_POWER=manual). The test plays the
// operator at the screen: it watches `flash:progress` for the prompt and power-cycles the module
// through the jig's control channel only when the prompt says so. The emulated module sits in its
// AT firmware and ignores A0 until then, so the flash passes only because the prompt reached the
// screen. The first prompt is left unanswered, as an operator looking away would: the host asks
// again half-way through the handshake (round 2, same deadline), and that one is answered.
import type { FlashProgressEvent } from '@station/contracts';
import { connectJigControl, type JigControlClient } from '@station/emulator';
import { labelImei, waitFor } from '@station/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLine, type Line } from './support/line';

let line: Line;
let jig: JigControlClient;

beforeAll(async () => {
  line = await startLine({ slots: 1, stationEnv: { EMULATOR_POWER: 'manual' } });
  jig = await connectJigControl(line.station.controlAddress);
}, 120_000);
afterAll(async () => {
  jig?.close();
  await line?.dispose();
}, 60_000);

const prompted = (attemptId: string, round: number) => (p: FlashProgressEvent) =>
  p.attemptId === attemptId && p.prompt?.round === round;

describe('manual power prompt', () => {
  it('reaches the screen with a countdown, asks again half-way, and the flash passes once the operator acts', async () => {
    expect((await line.detail()).slots[0]).toMatchObject({ slot: 1, power: 'manual' });
    const attemptId = await line.start(1, labelImei(1));

    const first = await waitFor(
      'first prompt on the screen',
      () => line.progress.find(prompted(attemptId, 1)),
      { timeoutMs: 90_000, intervalMs: 20 },
    );
    expect(first).toMatchObject({ stage: 'brom', prompt: { kind: 'power-cycle', round: 1 } });
    // The operator does not act yet: the module keeps running its firmware, the BROM is silent.
    const second = await waitFor(
      'second prompt, half-way',
      () => line.progress.find(prompted(attemptId, 2)),
      { timeoutMs: 90_000, intervalMs: 20 },
    );
    expect(second.prompt).toEqual({ ...first.prompt, round: 2 });
    expect(line.results.find((r) => r.attemptId === attemptId)).toBeUndefined();

    await jig.power(1, 'cycle');

    expect(await line.resultOf(attemptId, 90_000)).toMatchObject({
      outcome: 'passed',
      revisionAfter: expect.any(String),
    });
    // Past the handshake the prompt is gone from the tile.
    const after = line.progress.filter((p) => p.attemptId === attemptId && p.stage === 'write');
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((p) => p.prompt === undefined)).toBe(true);
  });
});
