// The whole line with the station on real-port settings: EMULATOR=false, SERIAL_PORTS to the ptys
// of two `flashstation emulate` processes, SLOT_POWER=jig through their control sockets. A scan
// at the server flashes the module in station slot 2 (the second jig's slot 1) to the end, as a
// station PC with a test jig would (the real server, BullMQ, the station agent and socat ptys).
import { mkdtemp, rm } from 'node:fs/promises';
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
    // The module was switched through its jig's socket (a failed cycle fails the flash there).
    const stages = line.progress.filter((p) => p.attemptId === attemptId).map((p) => p.stage);
    expect(stages.slice(0, 3)).toEqual(['preflight', 'power', 'brom']);
    expect(demo.packageId).toBe('demo-MC60CAR01A13');
  }, 180_000);
});
