// Modules are things an operator seats, moves and removes: through the jig's real control socket,
// with the real serialport binding on the slots' socat ptys. What a host sees on each slot is
// the module sitting there (its IMEI, revision, own noise) plus the slot's own adapter noise.
import { labelImei, tempDir, testImei, uniqueImei, type TempDir } from '@station/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  connectJigControl,
  createVirtualJig,
  loadScenario,
  type JigControlClient,
  type VirtualJig,
} from '../src/index';
import { HostPort, waitForState } from './host-port';

let tmp: TempDir;
let jig: VirtualJig | undefined;
let control: JigControlClient | undefined;
let ports: HostPort[] = [];

beforeEach(async () => {
  tmp = await tempDir('jig-seating');
});

afterEach(async () => {
  for (const p of ports) await p.close();
  ports = [];
  control?.close();
  control = undefined;
  await jig?.close();
  jig = undefined;
  await tmp.dispose();
});

async function startJig(scenario: object): Promise<VirtualJig> {
  jig = await createVirtualJig({
    slots: 3,
    dir: tmp.path,
    scenario: loadScenario(JSON.stringify(scenario)),
  });
  control = await connectJigControl(jig.controlAddress);
  return jig;
}

async function open(slot: number): Promise<HostPort> {
  const port = await HostPort.open(jig!.slots[slot - 1]!.path);
  ports.push(port);
  return port;
}

/** Asks the module on `port` for its IMEI and waits for the whole answer. */
async function gsn(port: HostPort): Promise<string> {
  port.write('AT+GSN\r');
  return port.readUntil('OK\r\n', 5000);
}

/** Nothing answers within a second: the slot's line reaches no module. */
async function silent(port: HostPort): Promise<void> {
  port.write('AT\r');
  await expect(port.read(1, 1000)).rejects.toThrow(/timeout: wanted 1 bytes, got $/);
}

describe('seating, moving and removing modules', () => {
  it('an empty slot answers nothing; a seated module boots and answers with its own IMEI', async () => {
    await startJig({ slots: [{ slot: 2, empty: true }] });
    const port = await open(2);
    expect((await control!.status())[1]).toMatchObject({
      slot: 2,
      imei: null,
      state: 'empty',
      powered: true,
    });
    await silent(port);

    const imei = uniqueImei();
    const slots = await control!.seat({ slot: 2, imei, revision: 'MC60CAR01A07' });
    expect(slots[1]).toMatchObject({ imei, revision: 'MC60CAR01A07', faults: {} });
    // The slot's power was on: the module boots into its firmware as soon as it sits there.
    await waitForState(jig!.slots[1]!.module, 'at');
    expect(await gsn(port)).toContain(`\r\n${imei}\r\n`);
    port.write('ATI\r');
    expect(await port.readUntil('OK\r\n')).toContain('Revision: MC60CAR01A07');
  });

  it('a moved module takes its IMEI, flash and faults along; the slot it left is empty', async () => {
    const moving = testImei(424_242);
    await startJig({
      slots: [
        { slot: 1, imei: moving, revision: 'MC60CAR01A05', faults: { deadPsram: true } },
        { slot: 3, empty: true },
      ],
    });
    const module = jig!.slots[0]!.module;
    const slots = await control!.move(1, 3);
    expect(slots[0]).toMatchObject({ imei: null, state: 'empty', faults: null });
    expect(slots[2]).toMatchObject({
      imei: moving,
      revision: 'MC60CAR01A05',
      faults: { deadPsram: true },
    });
    expect(jig!.slots[2]!.module).toBe(module);
    expect(() => jig!.slots[0]!.module).toThrow('no module in slot 1');
    await waitForState(module, 'at');
    expect(await gsn(await open(3))).toContain(`\r\n${moving}\r\n`);
    await silent(await open(1));

    await control!.remove(3);
    expect((await control!.status())[2]).toMatchObject({ imei: null, state: 'empty' });
    expect(module.state).toBe('off');
  });

  it("a module's noisy line moves with it; a slot's adapter noise stays with the slot", async () => {
    // Every byte garbled at any baud: a clean "OK" cannot come back through such a line.
    const everyByte = { aboveBaud: 0, byteErrorRate: 1, seed: 9 };
    await startJig({
      slots: [
        { slot: 1, faults: { noisyLine: everyByte } },
        { slot: 2, empty: true },
        { slot: 3, empty: true, adapterFaults: { noise: { byteErrorRate: 1, seed: 4 } } },
      ],
    });
    const noisyModule = labelImei(1);
    await control!.move(1, 2);
    await waitForState(jig!.slots[1]!.module, 'at');
    const slot2 = await open(2);
    slot2.write('AT+GSN\r');
    await expect(slot2.readUntil(`${noisyModule}\r\n`, 1500)).rejects.toThrow(/timeout/);

    // A healthy module in the slot the noisy one left answers cleanly there…
    const healthy = uniqueImei();
    await control!.seat({ slot: 1, imei: healthy });
    await waitForState(jig!.slots[0]!.module, 'at');
    expect(await gsn(await open(1))).toContain(`\r\n${healthy}\r\n`);
    // …and is garbled by the noisy adapter of slot 3 once it sits there.
    await control!.move(1, 3);
    await waitForState(jig!.slots[2]!.module, 'at');
    const slot3 = await open(3);
    slot3.write('AT+GSN\r');
    await expect(slot3.readUntil(`${healthy}\r\n`, 1500)).rejects.toThrow(/timeout/);
    expect((await control!.status())[2]).toMatchObject({
      imei: healthy,
      faults: {},
      adapterFaults: { noise: { byteErrorRate: 1 } },
    });
  });

  it('refuses what an operator cannot do, in one sentence each', async () => {
    await startJig({ slots: [{ slot: 2, empty: true }] });
    const taken = labelImei(1);
    await expect(control!.seat({ slot: 1, imei: uniqueImei() })).rejects.toThrow(
      `slot 1 is occupied by module ${taken}: remove or move it first`,
    );
    await expect(control!.seat({ slot: 2, imei: taken })).rejects.toThrow(
      `module ${taken} is already in slot 1: move it instead of seating it again`,
    );
    await expect(control!.seat({ slot: 2, imei: '861359030000001' })).rejects.toThrow(
      'invalid IMEI "861359030000001": an IMEI is 15 digits with a valid Luhn check digit',
    );
    await expect(
      control!.seat({ slot: 2, imei: uniqueImei(), faults: { deadPsrm: true } as never }),
    ).rejects.toThrow(/^unknown fault "deadPsrm" \(faults: noHandshake, noisyLine, deadPsram/);
    await expect(control!.seat({ slot: 2, imei: uniqueImei(), revision: 'A-1' })).rejects.toThrow(
      'invalid revision "A-1": letters and digits only',
    );
    await expect(control!.move(2, 3)).rejects.toThrow('no module in slot 2');
    await expect(control!.move(1, 3)).rejects.toThrow('slot 3 is occupied by module');
    await expect(control!.move(1, 1)).rejects.toThrow('slot 1 is both source and target');
    await expect(control!.remove(2)).rejects.toThrow('no module in slot 2');
    await expect(control!.remove(7)).rejects.toThrow('no slot 7 (this jig has 1, 2, 3)');
    // Nothing changed by the refusals.
    expect((await control!.status()).map((s) => s.imei)).toEqual([taken, null, labelImei(3)]);
  });
});
