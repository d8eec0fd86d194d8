// `flashstation emulate` command wiring, in process: a real jig on socat ptys, the real control
// socket, commander parsing the same argv a user types.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerEmulateCommand } from '../src/cli/commands/emulate.command';
import { describeJig, startJig } from '../src/cli/emulate/run-jig';
import type { VirtualJig } from '@station/emulator';
import { labelImei, startProcess, uniqueImei } from '@station/testkit';

const BIN = resolve(__dirname, '../bin/flashstation.mjs');

let jig: VirtualJig | undefined;
let dir: string | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  await jig?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  jig = undefined;
  dir = undefined;
});

describe('flashstation emulate', () => {
  it('prints one line per slot and switches power through the control socket', async () => {
    dir = await mkdtemp(join(tmpdir(), 'emulate-cli-'));
    jig = await startJig({ slots: 2, dir, json: true, pacing: true, usbLatencyMs: 0 });
    const lines = describeJig(jig, true).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      {
        slot: 1,
        path: join(dir, 'slot-01'),
        control: jig.controlAddress,
        imei: jig.slots[0]!.imei,
      },
      {
        slot: 2,
        path: join(dir, 'slot-02'),
        control: jig.controlAddress,
        imei: jig.slots[1]!.imei,
      },
    ]);

    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    const program = new Command().exitOverride();
    registerEmulateCommand(program);
    const argv = ['node', 'flashstation', 'emulate', 'power', '--control', jig.controlAddress];
    await program.parseAsync([...argv, '--slot', '2', 'off', '--json']);
    expect(JSON.parse(printed[0]!)).toEqual({ slot: 2, action: 'off', state: 'off' });
    expect(jig.slots[1]!.module.state).toBe('off');
  });

  it('rejects a bad slot number and a missing jig with clear errors', async () => {
    const errors = captureStderr();
    const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
    registerEmulateCommand(program);
    const argv = ['node', 'fs', 'emulate', 'power', '--control', '/nonexistent.sock'];
    const powerOn = (slot: string) => program.parseAsync([...argv, '--slot', slot, 'on']);
    await expect(powerOn('0')).rejects.toThrow(/--slot must be a whole number/);
    await powerOn('1');
    expect(errors).toEqual([
      expect.stringMatching(/^no virtual jig listening at \/nonexistent.sock/),
    ]);
    expect(process.exitCode).toBe(1);
  });

  it("seats, moves and removes modules; status shows each slot's IMEI or empty", async () => {
    dir = await mkdtemp(join(tmpdir(), 'emulate-cli-'));
    jig = await startJig({ slots: 3, dir, json: false, pacing: true, usbLatencyMs: 0 });
    const control = jig.controlAddress;
    const printed = captureStdout();
    const imei = uniqueImei();
    await run(['remove', '--control', control, '--slot', '3']);
    expect(printed.at(-1)).toBe(`slot 3: removed ${labelImei(3)} (the slot is empty)`);
    await run(
      ['seat', '--control', control, '--slot', '3', '--imei', imei, '--revision', 'MC60CAR01A07'],
      ['--fault', 'deadPsram', '--fault', 'noisyLine:aboveBaud=460800,byteErrorRate=0.05,seed=3'],
    );
    expect(printed.at(-1)).toBe(
      `slot 3: seated ${imei} (MC60CAR01A07, faults: noisyLine, deadPsram)`,
    );
    expect(jig.slots[2]!.module.faults).toEqual({
      deadPsram: true,
      noisyLine: { aboveBaud: 460800, byteErrorRate: 0.05, seed: 3 },
    });
    await run(['remove', '--control', control, '--slot', '1', '--json']);
    expect(JSON.parse(printed.at(-1)!)).toEqual({ slot: 1, removed: labelImei(1) });
    await run(['move', '--control', control, '--from', '3', '--to', '1', '--json']);
    expect(JSON.parse(printed.at(-1)!)).toMatchObject({ from: 3, to: 1, imei });
    expect(jig.slots[0]!.module.faults.deadPsram).toBe(true);

    await run(['status', '--control', control]);
    expect(printed.slice(-3)).toEqual([
      expect.stringMatching(new RegExp(`^slot 1  (off|brom|at)  MC60CAR01A07  ${imei}  `)),
      expect.stringMatching(new RegExp(`^slot 2  (off|brom|at)  MC60CAR01A10  ${labelImei(2)}  `)),
      expect.stringContaining(`slot 3  empty  -  (empty)  ${join(dir, 'slot-03')}`),
    ]);
    await run(['status', '--control', control, '--json']);
    expect((JSON.parse(printed.at(-1)!) as { imei: string | null }[]).map((s) => s.imei)).toEqual([
      imei,
      labelImei(2),
      null,
    ]);
  });

  it('answers a request the jig refuses with one sentence on stderr and exit code 1', async () => {
    dir = await mkdtemp(join(tmpdir(), 'emulate-cli-'));
    jig = await startJig({ slots: 2, dir, json: false, pacing: true, usbLatencyMs: 0 });
    const control = jig.controlAddress;
    captureStdout();
    const errors = captureStderr();
    await run(['seat', '--control', control, '--slot', '1', '--imei', uniqueImei()]);
    await run(['remove', '--control', control, '--slot', '2']);
    await run(['move', '--control', control, '--from', '2', '--to', '1']);
    await run(['seat', '--control', control, '--slot', '2', '--imei', '861359030000001']);
    expect(errors).toEqual([
      `slot 1 is occupied by module ${labelImei(1)}: remove or move it first`,
      'no module in slot 2',
      'invalid IMEI "861359030000001": an IMEI is 15 digits with a valid Luhn check digit',
    ]);
    expect(process.exitCode).toBe(1);
    await expect(
      run(
        ['seat', '--control', control, '--slot', '2', '--imei', uniqueImei()],
        ['--fault', 'deadPsrm'],
      ),
    ).rejects.toThrow(/unknown fault "deadPsrm" in --fault deadPsrm \(faults: noHandshake/);
    expect(jig.status().map((s) => s.imei)).toEqual([labelImei(1), null]);
  });

  it('as a real process: a refused seat is one line on stderr, exit code 1, no stack trace', async () => {
    dir = await mkdtemp(join(tmpdir(), 'emulate-cli-'));
    jig = await startJig({ slots: 1, dir, json: false, pacing: true, usbLatencyMs: 0 });
    const run = startProcess('flashstation emulate seat', process.execPath, [
      BIN,
      'emulate',
      'seat',
      '--control',
      jig.controlAddress,
      '--slot',
      '1',
      '--imei',
      uniqueImei(),
    ]);
    try {
      expect(await run.waitForExit(30_000)).toEqual({ code: 1, signal: null });
      expect(run.stderr()).toBe(
        `slot 1 is occupied by module ${labelImei(1)}: remove or move it first\n`,
      );
      expect(run.stdout()).toBe('');
    } finally {
      await run.release();
    }
  });
});

/** Runs `flashstation emulate <args…> <more…>` in process, as the user would type it. */
async function run(args: string[], more: string[] = []): Promise<void> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
  registerEmulateCommand(program);
  await program.parseAsync(['node', 'flashstation', 'emulate', ...args, ...more]);
}

function captureStdout(): string[] {
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
  return printed;
}

function captureStderr(): string[] {
  const printed: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((line: string) => void printed.push(line));
  return printed;
}
