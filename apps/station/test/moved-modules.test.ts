// Faults that travel and faults that stay, as the station's real host (packages/mtk over the real
// SerialTransport on socat ptys) meets them: a module's dead PSRAM fails its DA upload in every
// slot it is moved to, a slot's noisy adapter garbles every module seated there, and the slot a
// faulty module left flashes a healthy one. This is the evidence attribution (issue #9) rests on.
import { afterEach, describe, expect, it } from 'vitest';
import { runFlashJob, type FlashJobOptions } from '@station/mtk';
import type { ModuleState, VirtualJig } from '@station/emulator';
import { uniqueImei, waitForEvent } from '@station/testkit';
import { SerialTransport } from '../src/ports/serial-transport';
import {
  demoDa,
  demoPackage,
  NEW_REVISION,
  OLD_REVISION,
  openBench,
  power,
  type Bench,
} from './flash-helpers';

const pkg = demoPackage(NEW_REVISION, 32 * 1024, 8 * 1024);
const da = demoDa();
const NOISY_SLOT = 3;

let bench: Bench | undefined;
let transports: SerialTransport[] = [];
afterEach(async () => {
  for (const t of transports) await t.close();
  transports = [];
  await bench?.close();
  bench = undefined;
});

/** Slot 1 holds a dead-PSRAM module, slot 2 is empty, slot 3's adapter is noisy. */
async function openLine(): Promise<VirtualJig> {
  bench = await openBench({
    slots: [
      { slot: 1, revision: OLD_REVISION, faults: { deadPsram: true } },
      { slot: 2, empty: true },
      { slot: NOISY_SLOT, empty: true, adapterFaults: { noise: { byteErrorRate: 0.01, seed: 5 } } },
    ],
  });
  return bench.jig;
}

/** One flash of `slot` as the station runs it: AT checks either side, 921600, label IMEI. */
async function flashSlot(jig: VirtualJig, slot: number, options: Partial<FlashJobOptions> = {}) {
  const port =
    slot === 1 ? bench!.port : await SerialTransport.open({ path: jig.slots[slot - 1]!.path });
  if (slot !== 1) transports.push(port);
  const label = jig.status()[slot - 1]!.imei;
  return runFlashJob(port, {
    package: pkg,
    da,
    power: power(jig, slot),
    baud: 921600,
    preflight: true,
    postflight: true,
    ...(label ? { expectedImei: label } : {}),
    handshakeTimeoutMs: 1000,
    ...options,
  });
}

/** Resolves once the module in `slot` has booted its AT firmware (event-driven, with a deadline). */
async function bootedToAt(jig: VirtualJig, slot: number): Promise<void> {
  const module = jig.slots[slot - 1]!.module;
  await waitForEvent<[ModuleState]>(module, 'state', {
    what: `slot ${slot}'s module to boot its AT firmware`,
    accept: (state) => state === 'at',
    ready: () => module.state === 'at',
  });
}

describe('modules moved across slots (design §4)', () => {
  it('a dead-PSRAM module fails its DA upload in slot 1 and again after it is moved to slot 2', async () => {
    const jig = await openLine();
    const deadModule = jig.slots[0]!.imei;
    await bootedToAt(jig, 1);
    const inSlot1 = await flashSlot(jig, 1);
    expect(inSlot1.error).toMatchObject({ code: 'DA_CHECKSUM_MISMATCH', stage: 'da_upload' });

    jig.move(1, 2);
    expect(jig.slots[1]!.imei).toBe(deadModule);
    await bootedToAt(jig, 2);
    const inSlot2 = await flashSlot(jig, 2);
    expect(inSlot2.error).toMatchObject({
      code: 'DA_CHECKSUM_MISMATCH',
      mtkCode: 2021,
      stage: 'da_upload',
    });
    expect(inSlot2.imei).toBe(deadModule);

    // The slot it left is sound: a healthy module seated there flashes.
    jig.seat({ slot: 1, imei: uniqueImei(), revision: OLD_REVISION });
    await bootedToAt(jig, 1);
    const healthy = await flashSlot(jig, 1);
    expect(healthy.error).toBeUndefined();
    expect(healthy).toMatchObject({
      ok: true,
      revisionBefore: OLD_REVISION,
      revisionAfter: NEW_REVISION,
    });
  });

  it('a healthy module moved into a noisy slot sees the noise; its new firmware moved with it', async () => {
    const jig = await openLine();
    jig.remove(1);
    const imei = uniqueImei();
    jig.seat({ slot: 2, imei, revision: OLD_REVISION });
    await bootedToAt(jig, 2);
    const flashed = await flashSlot(jig, 2);
    expect(flashed).toMatchObject({ ok: true, revisionAfter: NEW_REVISION });

    jig.move(2, NOISY_SLOT);
    expect(jig.status()[NOISY_SLOT - 1]).toMatchObject({
      imei,
      revision: NEW_REVISION,
      faults: {},
    });
    await bootedToAt(jig, NOISY_SLOT);
    const noisy = await flashSlot(jig, NOISY_SLOT);
    expect(noisy.error).toMatchObject({ code: 'AT_NO_RESPONSE', stage: 'preflight' });

    // Moved back to a clean slot it answers again, still with the firmware flashed in slot 2.
    jig.move(NOISY_SLOT, 1);
    await bootedToAt(jig, 1);
    const clean = await flashSlot(jig, 1);
    expect(clean).toMatchObject({ ok: true, revisionBefore: NEW_REVISION, imei });
  });

  it('an empty slot answers nothing: the handshake times out', async () => {
    const jig = await openLine();
    jig.remove(1);
    const result = await flashSlot(jig, 1, { preflight: false, postflight: false });
    expect(result.error).toMatchObject({ code: 'BROM_HANDSHAKE_TIMEOUT', stage: 'brom' });
  });
});
