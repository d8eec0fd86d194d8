// A slot's USB adapter pulled out mid-flash and plugged back (issue #9 "Shows it"), on the real
// server and station processes with an emulated jig: the jig's control channel unplugs the slot
// (its tty link vanishes and the open port fails, as a USB unplug does) and re-plugs it.
// Expected: the attempt fails in write with PORT_DISCONNECTED and the operator's sentence, the
// slot shows offline and refuses scans, comes back online, the next scan passes, and Postgres
// holds the binding history (the binding closed at the unplug, a new one from the re-plug) with
// each attempt naming the adapter that served it.
import { connectJigControl, type JigControlClient } from '@station/emulator';
import { labelImei, waitFor } from '@station/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLine, type Line } from './support/line';

const SLOT = 2;
let line: Line;
let jig: JigControlClient;

beforeAll(async () => {
  line = await startLine({ slots: 2 });
  jig = await connectJigControl(line.station.controlAddress);
}, 120_000);
afterAll(async () => {
  jig?.close();
  await line?.dispose();
}, 60_000);

const slotOnline = async () =>
  (await line.detail()).slots.find((s) => s.slot === SLOT)?.online !== false;

/** Slot 2's adapter bindings, oldest first, with the adapter each names. */
const bindings = () =>
  line.db.prisma.adapterBinding.findMany({
    where: { slot: { index: SLOT - 1, station: { code: line.stationId } } },
    include: { adapter: true },
    orderBy: [{ boundAt: 'asc' }, { id: 'asc' }],
  });

describe('adapter unplugged and re-plugged mid-flash', () => {
  it('fails the attempt as PORT_DISCONNECTED, shows the slot offline, then serves it again with the binding history kept', async () => {
    const identity = `emulator:${line.stationId}/slot-${String(SLOT).padStart(2, '0')}`;
    const before = await waitFor('slot 2 bound to its adapter', async () => {
      const rows = await bindings();
      return rows.length === 1 && rows;
    });
    expect(before[0]).toMatchObject({ unboundAt: null, adapter: { identity } });

    const attemptId = await line.start(SLOT, labelImei(SLOT));
    await waitFor(
      'slot 2 writing',
      () => line.progress.some((p) => p.attemptId === attemptId && p.stage === 'write'),
      { timeoutMs: 90_000, intervalMs: 10 },
    );
    await jig.unplug(SLOT);

    const failed = await line.resultOf(attemptId, 90_000);
    expect(failed).toMatchObject({
      outcome: 'failed',
      errorCode: 9001,
      errorName: 'FS_PORT_DISCONNECTED',
      stage: 'write',
      operatorHint: 'Adapter unplugged: plug it back in and retry.',
    });
    await waitFor('slot 2 offline on the station view', async () => !(await slotOnline()), {
      timeoutMs: 60_000,
    });
    const refused = await line.scan(SLOT, labelImei(SLOT));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: 'SLOT_OFFLINE' } });
    // The other slot never noticed.
    expect((await line.detail()).slots.find((s) => s.slot === 1)?.online).not.toBe(false);
    const closed = await waitFor('binding closed at the unplug', async () => {
      const rows = await bindings();
      return rows.length === 1 && rows[0]!.unboundAt !== null && rows;
    });
    expect(closed[0]!.adapter.identity).toBe(identity);

    await jig.replug(SLOT);
    await waitFor('slot 2 online again', slotOnline, { timeoutMs: 60_000 });
    const history = await waitFor('a new binding from the re-plug', async () => {
      const rows = await bindings();
      return rows.length === 2 && rows;
    });
    expect(history.map((b) => [b.adapter.identity, b.unboundAt === null])).toEqual([
      [identity, false],
      [identity, true],
    ]);
    expect(history[1]!.boundAt.getTime()).toBeGreaterThanOrEqual(history[0]!.unboundAt!.getTime());

    const next = await line.start(SLOT, labelImei(SLOT));
    expect(await line.resultOf(next, 90_000)).toMatchObject({ outcome: 'passed' });
    // Each attempt records the adapter that served it.
    const attempts = await line.db.prisma.flashAttempt.findMany({
      where: { id: { in: [attemptId, next] } },
      select: { id: true, adapter: { select: { identity: true } } },
    });
    expect(attempts.map((a) => a.adapter?.identity)).toEqual([identity, identity]);
  });
});
