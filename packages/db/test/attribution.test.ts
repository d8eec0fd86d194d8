// Attribution and retry chains against the real Postgres, with attempts constructed in the record:
// a module is quarantined after its second healthy slot, a slot becomes suspect only while its
// neighbours pass, a noisy slot whose modules pass only after baud retries is suspect after the
// third module, a bad module with retries never condemns its slot, releases close decisions,
// a failed attempt is retried once at most, and first-pass yield counts what a person would.
import { uniqueImei } from '@station/testkit';
import { describe, expect, it } from 'vitest';
import {
  attemptRepository,
  attributionReleaseRepository,
  attributionRepository,
  DEFAULT_ATTRIBUTION_THRESHOLDS,
  yieldRepository,
  type FaultBlame,
  type JudgeOptions,
} from '../src/index';
import { nextDigest, seedLine, uniqueName } from './fixtures';
import { useTestDatabase } from './test-database';

const db = useTestDatabase();

// The catalogue's blame of the names used here (the server maps every name: fault-class.ts).
const BLAME: Record<string, FaultBlame> = {
  S_FT_DOWNLOAD_CHKSUM_MISMATCH: 'module',
  S_FT_CHANGE_BAUDRATE_FAIL: 'line',
  FS_PORT_DISCONNECTED: 'jig',
  FS_IMEI_MISMATCH: 'none',
};
const options: JudgeOptions = {
  blameOf: (name) => (name && BLAME[name]) || 'none',
  thresholds: DEFAULT_ATTRIBUTION_THRESHOLDS,
};

const MODULE_FAULT = 'S_FT_DOWNLOAD_CHKSUM_MISMATCH';
const LINE_FAULT = 'S_FT_CHANGE_BAUDRATE_FAIL';

/** Attempts one second apart, in the order a test writes them. */
let clock = Date.now() - 3_600_000;
const tick = () => new Date((clock += 1000));

async function line(slotCount = 4) {
  const seeded = await seedLine(db.prisma, slotCount);
  const newModule = async () => db.prisma.module.create({ data: { imei: uniqueImei() } });
  const record = async (input: {
    slot: number;
    moduleId: string;
    outcome: 'passed' | 'failed' | 'interrupted';
    errorName?: string;
    retryOfId?: string;
    packageId?: string;
    baud?: number;
  }) =>
    db.prisma.flashAttempt.create({
      data: {
        moduleId: input.moduleId,
        stationId: seeded.station.id,
        slotId: seeded.slots[input.slot - 1]!.id,
        packageId: input.packageId ?? seeded.firmware.id,
        outcome: input.outcome,
        errorName: input.outcome === 'passed' ? null : (input.errorName ?? null),
        retryOfId: input.retryOfId ?? null,
        baud: input.baud ?? 921600,
        startedAt: tick(),
        endedAt: tick(),
      },
    });
  /** A failed attempt, as most cases write it. */
  const fail = (slot: number, moduleId: string, errorName: string) =>
    record({ slot, moduleId, outcome: 'failed', errorName });
  /** Healthy modules passing on a slot. */
  const passes = async (slot: number, count: number, packageId?: string) => {
    for (let i = 0; i < count; i += 1)
      await record({ slot, moduleId: (await newModule()).id, outcome: 'passed', packageId });
  };
  return { ...seeded, newModule, record, fail, passes };
}

const judge = (attemptId: string) =>
  db.prisma.$transaction((tx) => attributionRepository.judge(tx, attemptId, options));
/** As the server judges a failure it retries: its slot only. */
const judgeSlot = (attemptId: string) =>
  db.prisma.$transaction((tx) => attributionRepository.judgeSlot(tx, attemptId, options));

describe('module quarantine', () => {
  it('quarantines after the second healthy slot, not after the first', async () => {
    const l = await line();
    const bad = await l.newModule();
    const first = await l.fail(1, bad.id, MODULE_FAULT);
    expect(await judge(first.id)).toEqual([]);
    const again = await l.fail(1, bad.id, MODULE_FAULT);
    expect(await judge(again.id)).toEqual([]);
    const second = await l.fail(2, bad.id, LINE_FAULT);
    const decisions = await judge(second.id);
    expect(decisions).toEqual([
      {
        id: expect.any(String),
        kind: 'module.quarantined',
        subject: bad.imei,
        reason: `Failed on 2 healthy slots: ${l.station.code}/1 (${MODULE_FAULT}), ${l.station.code}/2 (${LINE_FAULT}); the fault travels with the module.`,
        evidence: [first.id, again.id, second.id],
      },
    ]);
    const stored = await db.prisma.module.findUniqueOrThrow({ where: { id: bad.id } });
    expect(stored).toMatchObject({ status: 'quarantined', statusReason: decisions[0]!.reason });
    expect(await attributionRepository.forModule(db.prisma, bad.id)).toMatchObject([
      { kind: 'module.quarantined', evidence: [first.id, again.id, second.id], releasedAt: null },
    ]);
    // Judged again (a replay), nothing new is decided.
    expect(await judge(second.id)).toEqual([]);
  });

  it('does not count failures that were retried, on a suspect slot, or nobody’s fault', async () => {
    const l = await line();
    const m = await l.newModule();
    // Slot 1: a failure that was retried (and the retry passed) is not final.
    const retried = await l.fail(1, m.id, LINE_FAULT);
    await l.record({ slot: 1, moduleId: m.id, outcome: 'passed', retryOfId: retried.id });
    // Slot 2 is suspect (an open decision) when the module fails there.
    await db.prisma.attributionDecision.create({
      data: {
        kind: 'slot.suspect',
        slotId: l.slots[1]!.id,
        reason: 'noisy',
        evidence: [],
        decidedAt: tick(),
      },
    });
    await db.prisma.slot.update({ where: { id: l.slots[1]!.id }, data: { status: 'suspect' } });
    const onSuspect = await l.fail(2, m.id, MODULE_FAULT);
    expect(await judge(onSuspect.id)).toEqual([]);
    // A wrong label on slot 3 is nobody's fault.
    const label = await l.record({
      slot: 3,
      moduleId: m.id,
      outcome: 'failed',
      errorName: 'FS_IMEI_MISMATCH',
    });
    expect(await judge(label.id)).toEqual([]);
    const healthy = await l.fail(4, m.id, MODULE_FAULT);
    expect(await judge(healthy.id)).toEqual([]);
    expect((await db.prisma.module.findUniqueOrThrow({ where: { id: m.id } })).status).not.toBe(
      'quarantined',
    );
  });

  it('excuses a failure a slot was found guilty of, even after that slot is released', async () => {
    const l = await line();
    const m = await l.newModule();
    const onBadSlot = await l.fail(1, m.id, LINE_FAULT);
    await db.prisma.attributionDecision.create({
      data: {
        kind: 'slot.suspect',
        slotId: l.slots[0]!.id,
        reason: 'noisy',
        evidence: [onBadSlot.id],
        decidedAt: tick(),
        releasedAt: tick(),
        releasedBy: 'user:test',
      },
    });
    const elsewhere = await l.fail(2, m.id, LINE_FAULT);
    expect(await judge(elsewhere.id)).toEqual([]);
  });

  it('starts the evidence afresh after a release: one more failure does not re-quarantine', async () => {
    const l = await line();
    const m = await l.newModule();
    await l.fail(1, m.id, MODULE_FAULT);
    const second = await l.fail(2, m.id, MODULE_FAULT);
    expect(await judge(second.id)).toHaveLength(1);
    const release = await attributionReleaseRepository.releaseModule(db.prisma, m.id, {
      releasedBy: 'user:test',
      releasedById: null,
      reason: 'reworked the PSRAM',
    });
    expect(release).toMatchObject({
      previous: 'quarantined',
      module: { status: 'failed', statusReason: null },
      released: { releasedBy: 'user:test', releaseReason: 'reworked the PSRAM' },
    });
    tick();
    const third = await l.fail(3, m.id, MODULE_FAULT);
    expect(await judge(third.id)).toEqual([]);
    // Releasing a module that is not quarantined changes nothing.
    expect(
      await attributionReleaseRepository.releaseModule(db.prisma, m.id, {
        releasedBy: 'user:test',
        releasedById: null,
        reason: 'again',
      }),
    ).toMatchObject({ previous: 'failed', released: null });
  });
});

describe('suspect slots', () => {
  it('become suspect only when their neighbours on the same package pass', async () => {
    const l = await line();
    const failures = [];
    for (let i = 0; i < 3; i += 1)
      failures.push(
        await l.record({
          slot: 1,
          moduleId: (await l.newModule()).id,
          outcome: 'failed',
          errorName: i === 1 ? 'FS_PORT_DISCONNECTED' : LINE_FAULT,
        }),
      );
    // Neighbours passed, but with another package: that says nothing about slot 1.
    const other = await db.prisma.firmwarePackage.create({
      data: {
        digest: nextDigest(),
        name: 'other',
        revision: uniqueName('rev'),
        platform: 'MT2503',
      },
    });
    await l.passes(2, 3, other.id);
    expect(await judge(failures[2]!.id)).toEqual([]);
    await l.passes(2, 2);
    await l.passes(3, 1);
    const fourth = await l.fail(1, (await l.newModule()).id, LINE_FAULT);
    const decisions = await judge(fourth.id);
    expect(decisions).toEqual([
      {
        id: expect.any(String),
        kind: 'slot.suspect',
        subject: `${l.station.code}/1`,
        reason: `4 different modules failed here (${LINE_FAULT}, FS_PORT_DISCONNECTED) in its last 4 attempts, retries included, while the other slots passed 3 with the same package: check this slot's adapter, cable and power.`,
        evidence: [...failures.map((f) => f.id), fourth.id],
      },
    ]);
    expect(await db.prisma.slot.findUniqueOrThrow({ where: { id: l.slots[0]!.id } })).toMatchObject(
      {
        status: 'suspect',
        statusReason: decisions[0]!.reason,
      },
    );
  });

  it('are found when every module passes only after baud retries: suspect after the third module', async () => {
    const l = await line();
    const evidence: string[] = [];
    /** A module's chain on the noisy slot 1, each failure judged as the server does. */
    const rescuedChain = async () => {
      const m = await l.newModule();
      const first = await l.fail(1, m.id, LINE_FAULT);
      evidence.push(first.id);
      const firstDecisions = await judgeSlot(first.id);
      if (firstDecisions.length > 0) return { module: m, decisions: firstDecisions };
      const second = await l.record({
        slot: 1,
        moduleId: m.id,
        outcome: 'failed',
        errorName: LINE_FAULT,
        retryOfId: first.id,
        baud: 460800,
      });
      evidence.push(second.id);
      expect(await judgeSlot(second.id)).toEqual([]);
      await l.record({
        slot: 1,
        moduleId: m.id,
        outcome: 'passed',
        retryOfId: second.id,
        baud: 115200,
      });
      return { module: m, decisions: [] };
    };
    expect((await rescuedChain()).decisions).toEqual([]);
    await l.passes(2, 2);
    await l.passes(3, 1);
    expect((await rescuedChain()).decisions).toEqual([]);
    const third = await rescuedChain();
    expect(third.decisions).toEqual([
      {
        id: expect.any(String),
        kind: 'slot.suspect',
        subject: `${l.station.code}/1`,
        reason: `3 different modules failed here (${LINE_FAULT}) in its last 7 attempts, retries included, while the other slots passed 3 with the same package: check this slot's adapter, cable and power.`,
        evidence,
      },
    ]);
    expect((await db.prisma.slot.findUniqueOrThrow({ where: { id: l.slots[0]!.id } })).status).toBe(
      'suspect',
    );
    // The third module's chain ends there; its failure is the slot's evidence, not the module's.
    expect(await attributionRepository.judgeModule(db.prisma, evidence.at(-1)!, options)).toEqual(
      [],
    );
    // Failing once more elsewhere does not quarantine it: only one healthy slot saw it fail.
    const elsewhere = await l.fail(4, third.module.id, MODULE_FAULT);
    expect(await judge(elsewhere.id)).toEqual([]);
  });

  it('are not condemned by one bad module and its retries', async () => {
    const l = await line();
    const bad = await l.newModule();
    // Three chains of the same module, each retried at lower bauds and failing in the end; every
    // failure judged, as the server judges the slot after each one.
    for (let chain = 0; chain < 3; chain += 1) {
      const a = await l.fail(1, bad.id, LINE_FAULT);
      expect(await judgeSlot(a.id)).toEqual([]);
      const b = await l.record({
        slot: 1,
        moduleId: bad.id,
        outcome: 'failed',
        errorName: LINE_FAULT,
        retryOfId: a.id,
        baud: 460800,
      });
      expect(await judgeSlot(b.id)).toEqual([]);
      const last = await l.record({
        slot: 1,
        moduleId: bad.id,
        outcome: 'failed',
        errorName: LINE_FAULT,
        retryOfId: b.id,
        baud: 115200,
      });
      await l.passes(2, 2);
      expect((await judge(last.id)).filter((d) => d.kind === 'slot.suspect')).toEqual([]);
    }
    expect((await db.prisma.slot.findUniqueOrThrow({ where: { id: l.slots[0]!.id } })).status).toBe(
      'active',
    );
  });

  it('are released by a supervisor: active again, the decision closed, the window afresh', async () => {
    const l = await line();
    let last;
    for (let i = 0; i < 3; i += 1) last = await l.fail(1, (await l.newModule()).id, LINE_FAULT);
    await l.passes(2, 3);
    expect(await judge(last!.id)).toHaveLength(1);
    const slotId = l.slots[0]!.id;
    const change = await attributionReleaseRepository.releaseSlot(db.prisma, slotId, {
      releasedBy: 'user:sup',
      releasedById: null,
      reason: 'replaced the adapter',
    });
    expect(change).toMatchObject({
      previous: 'suspect',
      slot: { status: 'active', statusReason: null },
      released: {
        kind: 'slot.suspect',
        releasedBy: 'user:sup',
        releaseReason: 'replaced the adapter',
      },
    });
    tick();
    const next = await l.fail(1, (await l.newModule()).id, LINE_FAULT);
    expect(await judge(next.id)).toEqual([]);
    // Disable and release: a disabled slot goes back to active with no decision to close.
    expect(
      await attributionReleaseRepository.disableSlot(db.prisma, slotId, 'cable loose'),
    ).toMatchObject({
      previous: 'active',
      slot: { status: 'disabled', statusReason: 'cable loose' },
    });
    expect(
      await attributionReleaseRepository.releaseSlot(db.prisma, slotId, {
        releasedBy: 'user:sup',
        releasedById: null,
        reason: 'fixed',
      }),
    ).toMatchObject({ previous: 'disabled', slot: { status: 'active' }, released: null });
    expect(
      await attributionReleaseRepository.releaseSlot(db.prisma, slotId, {
        releasedBy: 'user:sup',
        releasedById: null,
        reason: 'again',
      }),
    ).toMatchObject({ previous: 'active', released: null });
  });
});

describe('retry chains', () => {
  it('open a retry once per failed attempt, linked to it, and read the chain’s bauds', async () => {
    const l = await line();
    const m = await l.newModule();
    const failed = await l.fail(1, m.id, LINE_FAULT);
    const retry = await attemptRepository.openRetry(db.prisma, failed.id, 460800);
    expect(retry).toMatchObject({
      retryOfId: failed.id,
      moduleId: m.id,
      slotId: l.slots[0]!.id,
      packageId: l.firmware.id,
      baud: 460800,
      outcome: 'running',
      jobId: retry!.id,
    });
    expect(await attemptRepository.openRetry(db.prisma, failed.id, 460800)).toBeNull();
    expect(await attemptRepository.retryOf(db.prisma, failed.id)).toMatchObject({ id: retry!.id });
    expect(await attemptRepository.chainBauds(db.prisma, retry!.id)).toEqual([921600, 460800]);
  });

  it('give a first-pass yield that counts a module passed on a retry as not first-pass', async () => {
    const l = await line();
    await l.passes(2, 2);
    const m = await l.newModule();
    const failed = await l.fail(1, m.id, LINE_FAULT);
    await l.record({
      slot: 1,
      moduleId: m.id,
      outcome: 'passed',
      retryOfId: failed.id,
      baud: 460800,
    });
    // Interrupted attempts judge nobody.
    const lost = await l.newModule();
    await l.record({
      slot: 3,
      moduleId: lost.id,
      outcome: 'interrupted',
      errorName: 'STATION_LOST',
    });
    await l.record({ slot: 3, moduleId: lost.id, outcome: 'passed' });
    expect(await yieldRepository.firstPass(db.prisma, { stationCode: l.station.code })).toEqual({
      modules: 4,
      firstPass: 3,
      finallyPassed: 4,
      firstPassYield: 0.75,
      finalYield: 1,
    });
  });
});
