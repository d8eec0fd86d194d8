// EMULATOR_SCENARIO: the station agent (a real process, real Redis as its own user) runs its
// emulated jig from a scenario file, and its jig's control socket takes an operator's hands
// while it runs. A file it cannot use stops the start with one sentence.
import { writeFile } from 'node:fs/promises';
import { connectJigControl, type JigControlClient } from '@station/emulator';
import {
  labelImei,
  provisionStation,
  spawnApp,
  tempDir,
  testImei,
  testRedisPrefix,
  uniqueImei,
  type StationApp,
  type TempDir,
  type TestRedisPrefix,
} from '@station/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let redisPrefix: TestRedisPrefix;
let dir: TempDir;
const agents: StationApp[] = [];
let control: JigControlClient | undefined;

beforeEach(async () => {
  redisPrefix = testRedisPrefix('scenario');
  dir = await tempDir('station-scenario');
});

afterEach(async () => {
  control?.close();
  control = undefined;
  for (const agent of agents.splice(0)) await agent.dispose();
  await redisPrefix.dispose();
  await dir.dispose();
});

async function startAgent(stationId: string, env: Record<string, string>, ready = true) {
  const station = await provisionStation({ stationId, prefix: redisPrefix.prefix });
  const agent = await spawnApp(
    'station',
    { REDIS_PREFIX: redisPrefix.prefix, STATION_ID: stationId, ...station.env, ...env },
    ready ? undefined : { waitUntilReady: false },
  );
  agents.push(agent);
  return agent;
}

async function scenarioFile(name: string, text: string): Promise<string> {
  const path = dir.join(name);
  await writeFile(path, text);
  return path;
}

describe('EMULATOR_SCENARIO', { timeout: 60_000 }, () => {
  it('runs the jig the file describes, and its control socket seats modules while it runs', async () => {
    const scenarioImei = testImei(777_001);
    const path = await scenarioFile(
      'line.json',
      JSON.stringify({
        defaults: { revision: 'MC60CAR01A07' },
        slots: [
          { slot: 1, imei: scenarioImei, faults: { deadPsram: true } },
          { slot: 2, adapterFaults: { noise: { byteErrorRate: 0.01, seed: 5 } } },
          { slot: 3, empty: true },
        ],
      }),
    );
    const agent = await startAgent('scenario-a', {
      EMULATOR_SLOTS: '3',
      EMULATOR_SCENARIO: path,
    });
    // The log names the labels an operator scans and where the jig's control socket is.
    const started = JSON.parse(await agent.waitForLine('"msg":"emulated jig started"')) as {
      control: string;
      labels: Record<string, string | null>;
    };
    expect(started).toMatchObject({
      control: agent.controlAddress,
      labels: { 'slot-1': scenarioImei, 'slot-2': labelImei(2), 'slot-3': null },
    });

    control = await connectJigControl(agent.controlAddress);
    expect(await control.status()).toMatchObject([
      { slot: 1, imei: scenarioImei, faults: { deadPsram: true }, adapterFaults: {} },
      {
        slot: 2,
        imei: labelImei(2),
        faults: {},
        adapterFaults: { noise: { byteErrorRate: 0.01 } },
      },
      { slot: 3, imei: null, state: 'empty', faults: null },
    ]);
    const seated = uniqueImei();
    await control.seat({ slot: 3, imei: seated, revision: 'MC60CAR01A03' });
    await expect(control.move(1, 3)).rejects.toThrow(
      `slot 3 is occupied by module ${seated}: remove or move it first`,
    );
    expect((await control.status())[2]).toMatchObject({ imei: seated, revision: 'MC60CAR01A03' });
    expect(agent.current.stderr()).toBe('');
  });

  it('a missing scenario file stops the station with one sentence', async () => {
    const missing = dir.join('no-such-scenario.json');
    const agent = await startAgent('scenario-b', { EMULATOR_SCENARIO: missing }, false);
    expect(await agent.current.waitForExit()).toEqual({ code: 1, signal: null });
    expect(agent.current.stderr().trim()).toBe(
      `EMULATOR_SCENARIO names ${missing}, which cannot be read (ENOENT): check the path.`,
    );
  });

  it('a scenario with an unknown fault stops the station naming the field and the fault', async () => {
    const path = await scenarioFile(
      'typo.json',
      '{"slots":[{"slot":2,"faults":{"deadPsrm":true}}]}',
    );
    const agent = await startAgent('scenario-c', { EMULATOR_SCENARIO: path }, false);
    expect(await agent.current.waitForExit()).toEqual({ code: 1, signal: null });
    expect(agent.current.stderr().trim()).toBe(
      `EMULATOR_SCENARIO ${path}: invalid scenario: slots.0.faults: unknown fault "deadPsrm" (faults: noHandshake, noisyLine, deadPsram, badSector, unknownFlashId, wrongChip, brownOutAfterBytes, slowErase, imeiMismatch)`,
    );
  });

  it('a scenario that is not JSON stops the station with one sentence', async () => {
    const path = await scenarioFile('broken.json', '{"slots": [');
    const agent = await startAgent('scenario-d', { EMULATOR_SCENARIO: path }, false);
    expect(await agent.current.waitForExit()).toEqual({ code: 1, signal: null });
    expect(agent.current.stderr().trim()).toMatch(
      new RegExp(`^EMULATOR_SCENARIO ${path}: scenario is not valid JSON: [^\\n]+$`),
    );
  });
});
