// Real parts: socat pseudo-terminals, the serialport binding on both ends, a Unix control
// socket. Nothing is mocked; the module is the emulator itself.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { labelImei, tempDir, type TempDir } from '@station/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectJigControl, createVirtualJig, loadScenario, type VirtualJig } from '../src/index';
import { HostPort, waitForState } from './host-port';

let tmp: TempDir;
let dir: string;
let jig: VirtualJig | undefined;
let ports: HostPort[] = [];

beforeEach(async () => {
  tmp = await tempDir('jig');
  dir = tmp.path;
});

afterEach(async () => {
  for (const p of ports) await p.close();
  ports = [];
  await jig?.close();
  jig = undefined;
  await tmp.dispose();
});

async function open(path: string): Promise<HostPort> {
  const port = await HostPort.open(path);
  ports.push(port);
  return port;
}

describe('virtual jig on pseudo-terminals', () => {
  it('gives each slot a stable tty path, an IMEI and an AT firmware that answers', async () => {
    jig = await createVirtualJig({ slots: 2, dir });
    expect(jig.slots.map((s) => s.path)).toEqual([join(dir, 'slot-01'), join(dir, 'slot-02')]);
    // The labels the apps' tests rebuild without importing the emulator (@station/testkit).
    expect(jig.slots.map((s) => s.imei)).toEqual([labelImei(1), labelImei(2)]);
    await waitForState(jig.slots[1]!.module, 'at');
    const port = await open(jig.slots[1]!.path);
    port.write('AT+GSN\r');
    const reply = await port.readUntil('OK\r\n');
    expect(reply).toBe(`AT+GSN\r\r\n${jig.slots[1]!.imei}\r\n\r\nOK\r\n`);
  });

  it('power-cycles a slot through the control socket and catches the BROM window', async () => {
    jig = await createVirtualJig({ slots: 1, dir });
    const module = jig.slots[0]!.module;
    await waitForState(module, 'at');
    const port = await open(jig.slots[0]!.path);
    const control = await connectJigControl(jig.controlAddress);
    try {
      await control.power(1, 'off');
      expect((await control.status())[0]!.state).toBe('off');
      const handshake = new Promise<void>((resolve) => module.once('handshake', resolve));
      await control.power(1, 'on');
      port.write([0xa0]);
      expect([...(await port.read(1))]).toEqual([0x5f]);
      port.write([0x0a, 0x50, 0x05]);
      expect([...(await port.read(3))]).toEqual([0xf5, 0xaf, 0xfa]);
      await handshake;
      expect(module.state).toBe('brom');
      await expect(control.power(9, 'on')).rejects.toThrow(/no slot 9/);
    } finally {
      control.close();
    }
  });

  it('applies a scenario: revision, IMEI and a powered-too-early module that never handshakes', async () => {
    const scenario = loadScenario(
      JSON.stringify({
        defaults: { revision: 'MC60CAR01A07' },
        slots: [{ slot: 2, imei: '861359030299596', faults: { noHandshake: 'powered-too-early' } }],
      }),
    );
    jig = await createVirtualJig({ slots: 2, dir, scenario });
    const slot2 = jig.slots[1]!;
    expect(slot2.imei).toBe('861359030299596');
    await waitForState(slot2.module, 'at');
    const port = await open(slot2.path);
    port.write('ATI\r');
    expect(await port.readUntil('OK\r\n')).toContain('Revision: MC60CAR01A07');
    // Powered too early: the window has closed before the host streams A0, the AT firmware
    // just echoes it, so the host never sees 5F.
    await jig.power(2, 'cycle');
    await waitForState(slot2.module, 'at');
    port.write([0xa0]);
    expect([...(await port.read(1))]).toEqual([0xa0]);
  });

  it('unplugging the adapter removes the tty path; replug brings it back', async () => {
    jig = await createVirtualJig({ slots: 1, dir });
    await jig.unplug(1);
    expect(existsSync(jig.slots[0]!.path)).toBe(false);
    await jig.replug(1);
    expect(existsSync(jig.slots[0]!.path)).toBe(true);
    expect(jig.status()[0]!.plugged).toBe(true);
  });

  it('explains a missing perl (the pty relays need it)', async () => {
    await expect(createVirtualJig({ slots: 1, dir, perlBinary: 'perl-missing' })).rejects.toThrow(
      'perl not found (the pty relay needs it): apt-get install perl-base',
    );
  });
});
