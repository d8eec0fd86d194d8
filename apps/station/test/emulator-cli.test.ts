// `flashstation emulate` command wiring, in process: a real jig on socat ptys, the real control
// socket, commander parsing the same argv a user types.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerEmulateCommand } from '../src/cli/commands/emulate.command';
import { describeJig, startJig } from '../src/cli/emulate/run-jig';
import type { VirtualJig } from '@station/emulator';

let jig: VirtualJig | undefined;
let dir: string | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
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
    const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
    registerEmulateCommand(program);
    const argv = ['node', 'fs', 'emulate', 'power', '--control', '/nonexistent.sock'];
    const powerOn = (slot: string) => program.parseAsync([...argv, '--slot', slot, 'on']);
    await expect(powerOn('0')).rejects.toThrow(/--slot must be a whole number/);
    await expect(powerOn('1')).rejects.toThrow(/no virtual jig listening at \/nonexistent.sock/);
  });
});
