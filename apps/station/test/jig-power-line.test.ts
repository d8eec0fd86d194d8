// The whole line with the station on real-port settings: EMULATOR=false, SERIAL_PORTS to the ptys
// of two `flashstation emulate` processes, SLOT_POWER=jig through their control sockets. A scan
// at the server flashes the module in station slot 2 (the second jig's slot 1) to the end, as a
// station PC with a test jig would (the real server, BullMQ, the station agent and socat ptys).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticImei } from '@station/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { startLine, type Line } from '../../../reliability/support/line';
import { ensureDemoFirmware } from '../src/jobs/firmware-store';
import { startExternalJigs, type ExternalJigs } from './external-jigs';

describe('station with SLOT_POWER=jig on an out-of-process jig', () => {
  let jigs: ExternalJigs | undefined;
  let line: Line | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await line?.dispose();
    await jigs?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('flashes station slot 2 through the server, BullMQ and the agent, powering it through its jig', async () => {
    dir = await mkdtemp(join(tmpdir(), 'jig-line-'));
    jigs = await startExternalJigs({ slots: 2, processes: 2, dir: join(dir, 'jigs') });
    expect(jigs.stationEnv.JIG_CONTROL).toBe(
      `1-1=${join(dir, 'jigs', 'jig-1', 'control.sock')},2-2=${join(dir, 'jigs', 'jig-2', 'control.sock')}`,
    );
    // A real station's disk: its package and DA are there before it starts.
    const firmwareDir = join(dir, 'firmware');
    const demo = await ensureDemoFirmware(firmwareDir, join(firmwareDir, 'mt6261_da.bin'));
    line = await startLine({
      slots: 2,
      stationEnv: { ...jigs.stationEnv, FIRMWARE_DIR: firmwareDir },
    });
    const detail = await line.detail();
    expect(detail.slots.map((s) => [s.slot, s.port, s.power])).toEqual([
      [1, join(dir, 'jigs', 'jig-1', 'slot-01'), 'emulator'],
      [2, join(dir, 'jigs', 'jig-2', 'slot-01'), 'emulator'],
    ]);

    const attemptId = await line.start(2, syntheticImei(100_002));
    const result = await line.resultOf(attemptId, 120_000);
    expect(result).toMatchObject({ attemptId, outcome: 'passed', slot: 2 });
    expect(await line.attempt(attemptId)).toMatchObject({ outcome: 'passed' });
    // The station went through the power stage (its journal records every stage it enters;
    // progress is throttled and may skip one): with SLOT_POWER=jig that is a cycle through the
    // jig's socket, and a cycle that fails there fails the flash (src/slots/jig-power.test.ts).
    const journal = await readFile(join(line.dir.path, 'journal.jsonl'), 'utf8');
    const stages = journal
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { t: string; attemptId?: string; stage?: string })
      .filter((r) => r.t === 'stage' && r.attemptId === attemptId)
      .map((r) => r.stage);
    expect(stages.slice(0, 4)).toEqual(['package', 'preflight', 'power', 'brom']);
    expect(demo.packageId).toBe('demo-MC60CAR01A13');
  }, 180_000);
});
