// A station on real-port settings (EMULATOR=false) with SLOT_POWER=jig: its slots are two real
// virtual jigs' ptys (socat), and a power cycle goes through the right jig's real control socket
// to the right jig slot. Nothing mocked.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createVirtualJig, type VirtualJig } from '@station/emulator';
import { createLogger } from '@station/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../env';
import { createPowerControl } from '../ports/power-control';
import { resolveSlots } from './station-slots';

const quietLogger = () =>
  createLogger({
    name: 'jig-power-test',
    level: 'warn',
    destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });

describe('SLOT_POWER=jig on real-port settings', () => {
  const jigs: VirtualJig[] = [];
  let dir: string | undefined;
  afterEach(async () => {
    await Promise.all(jigs.splice(0).map((jig) => jig.close()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('binds SERIAL_PORTS to the jigs’ ptys and cycles power on the jig slot JIG_CONTROL names', async () => {
    dir = await mkdtemp(join(tmpdir(), 'jig-power-'));
    const off = (slot: number) => ({ slot, poweredAtStart: false });
    const a = await createVirtualJig({
      slots: 2,
      dir: join(dir, 'a'),
      scenario: { slots: [off(1), off(2)] },
    });
    const b = await createVirtualJig({
      slots: 1,
      dir: join(dir, 'b'),
      scenario: { slots: [off(1)] },
    });
    jigs.push(a, b);
    const env = parseEnv({
      EMULATOR: 'false',
      SERIAL_PORTS: `1=${a.slots[0]!.path},2=${a.slots[1]!.path},3=${b.slots[0]!.path}`,
      SLOT_POWER: 'jig',
      JIG_CONTROL: `1-2=${a.controlAddress},3-3=${b.controlAddress}`,
    });

    const slots = await resolveSlots(env, quietLogger());
    try {
      // Announced as the station switching the slot through a control channel.
      expect(slots.power).toBe('emulator');
      expect(slots.bindings.map((s) => [s.slot, s.online])).toEqual([
        [1, true],
        [2, true],
        [3, true],
      ]);
      expect(slots.flashSlots.map((s) => s.power)).toEqual([
        { kind: 'emulator', controlAddress: a.controlAddress, slot: 1 },
        { kind: 'emulator', controlAddress: a.controlAddress, slot: 2 },
        { kind: 'emulator', controlAddress: b.controlAddress, slot: 1 },
      ]);

      // Station slot 3 is jig b's slot 1: only that relay switches on.
      const power = createPowerControl(
        slots.flashSlots[2]!.power,
        { setSignals: async () => {} },
        { say: () => {} },
      );
      await power.cycle(new AbortController().signal);
      expect(b.status().map((s) => s.powered)).toEqual([true]);
      expect(a.status().map((s) => s.powered)).toEqual([false, false]);
    } finally {
      await slots.close();
    }
  });

  it('fails a power cycle with the jig named when its control socket is gone', async () => {
    dir = await mkdtemp(join(tmpdir(), 'jig-power-'));
    const a = await createVirtualJig({ slots: 1, dir: join(dir, 'a') });
    jigs.push(a);
    const env = parseEnv({
      EMULATOR: 'false',
      SERIAL_PORTS: `1=${a.slots[0]!.path}`,
      SLOT_POWER: 'jig',
      JIG_CONTROL: join(dir, 'nowhere', 'control.sock'),
    });
    const slots = await resolveSlots(env, quietLogger());
    const power = createPowerControl(
      slots.flashSlots[0]!.power,
      { setSignals: async () => {} },
      { say: () => {} },
    );
    await expect(power.cycle(new AbortController().signal)).rejects.toThrow(
      `no virtual jig listening at ${join(dir, 'nowhere', 'control.sock')}`,
    );
  });
});
