// The attribution rules, every case, without a database: which failures condemn a module, which
// a slot, and which condemn nobody.
import { describe, expect, it } from 'vitest';
import {
  decideQuarantine,
  decideSuspect,
  DEFAULT_ATTRIBUTION_THRESHOLDS as T,
  type ModuleFailure,
  type SlotWindowAttempt,
} from '../src/index';

const failure = (n: number, slot: string, changes: Partial<ModuleFailure> = {}): ModuleFailure => ({
  attemptId: `a${n}`,
  slotId: slot,
  slotName: `jig/${slot}`,
  errorName: 'S_FT_DOWNLOAD_CHKSUM_MISMATCH',
  blame: 'module',
  slotHealthy: true,
  ...changes,
});

describe('decideQuarantine', () => {
  it('quarantines after the second healthy slot, not after the first', () => {
    expect(decideQuarantine([failure(1, '1')])).toBeNull();
    expect(decideQuarantine([failure(1, '1'), failure(2, '1')])).toBeNull();
    expect(decideQuarantine([failure(1, '1'), failure(2, '2')])).toEqual({
      reason:
        'Failed on 2 healthy slots: jig/1 (S_FT_DOWNLOAD_CHKSUM_MISMATCH), jig/2 (S_FT_DOWNLOAD_CHKSUM_MISMATCH); the fault travels with the module.',
      evidence: ['a1', 'a2'],
    });
  });

  it('counts line faults too, but not jig, setup or nobody’s faults', () => {
    expect(decideQuarantine([failure(1, '1', { blame: 'line' }), failure(2, '2')])).not.toBeNull();
    for (const blame of ['jig', 'setup', 'none'] as const)
      expect
        .soft(decideQuarantine([failure(1, '1', { blame }), failure(2, '2')]), blame)
        .toBeNull();
  });

  it('does not count a failure on a slot that was not healthy', () => {
    expect(decideQuarantine([failure(1, '1'), failure(2, '2', { slotHealthy: false })])).toBeNull();
  });
});

const attempt = (n: number, changes: Partial<SlotWindowAttempt> = {}): SlotWindowAttempt => ({
  attemptId: `a${n}`,
  moduleId: `m${n}`,
  outcome: 'failed',
  errorName: 'S_FT_CHANGE_BAUDRATE_FAIL',
  blame: 'line',
  ...changes,
});
const three = [
  attempt(1),
  attempt(2, { blame: 'jig', errorName: 'FS_PORT_DISCONNECTED' }),
  attempt(3),
];
/** One module's chain on a noisy slot: fails at 921600 and 460800, passes at 115200. */
const rescued = (module: number, first: number) => [
  attempt(first, { moduleId: `m${module}` }),
  attempt(first + 1, { moduleId: `m${module}` }),
  attempt(first + 2, { moduleId: `m${module}`, outcome: 'passed', errorName: null, blame: 'none' }),
];

describe('decideSuspect', () => {
  it('marks a slot suspect when 3 distinct modules failed there while neighbours passed 3', () => {
    expect(decideSuspect(three, 3, T)).toEqual({
      reason:
        "3 different modules failed here (S_FT_CHANGE_BAUDRATE_FAIL, FS_PORT_DISCONNECTED) in its last 3 attempts, retries included, while the other slots passed 3 with the same package: check this slot's adapter, cable and power.",
      evidence: ['a1', 'a2', 'a3'],
    });
  });

  it('does not when the neighbours did not pass enough (a bad batch or package)', () => {
    expect(decideSuspect(three, 2, T)).toBeNull();
  });

  it('counts distinct modules: one bad module and its retries never condemn the slot', () => {
    const sameModule = [1, 2, 3, 4].map((n) => attempt(n, { moduleId: 'm1' }));
    expect(decideSuspect(sameModule, 10, T)).toBeNull();
  });

  it('one module’s three retries on a slot do not make it suspect, with another module’s failure', () => {
    // m1 fails and is retried three times; m2 fails once: two distinct modules, not three.
    const window = [...[1, 2, 3, 4].map((n) => attempt(n, { moduleId: 'm1' })), attempt(5)];
    expect(decideSuspect(window, 10, T)).toBeNull();
  });

  it('a noisy slot whose modules all pass after a baud retry is suspect after the third module', () => {
    const twoModules = [...rescued(1, 1), ...rescued(2, 4)];
    expect(decideSuspect(twoModules, 3, T)).toBeNull();
    // The third module's first failure decides it: 7 attempts, well within the default window.
    const judged = decideSuspect([...twoModules, attempt(7, { moduleId: 'm3' })], 3, T);
    expect(judged).toEqual({
      reason:
        "3 different modules failed here (S_FT_CHANGE_BAUDRATE_FAIL) in its last 7 attempts, retries included, while the other slots passed 3 with the same package: check this slot's adapter, cable and power.",
      evidence: ['a1', 'a2', 'a4', 'a5', 'a7'],
    });
  });

  it('counts only failures with a jig or line fault, retried or final', () => {
    expect(decideSuspect([...three.slice(0, 2), attempt(3, { blame: 'module' })], 9, T)).toBeNull();
    for (const blame of ['setup', 'none'] as const)
      expect.soft(decideSuspect([...three.slice(0, 2), attempt(3, { blame })], 9, T)).toBeNull();
    expect(
      decideSuspect([...three.slice(0, 2), attempt(3, { outcome: 'passed' })], 9, T),
    ).toBeNull();
    expect(
      decideSuspect([...three.slice(0, 2), attempt(3, { outcome: 'interrupted' })], 9, T),
    ).toBeNull();
  });

  it('follows the configured thresholds', () => {
    expect(
      decideSuspect(three.slice(0, 2), 1, {
        ...T,
        suspectMinFailedModules: 2,
        suspectMinNeighbourPasses: 1,
      }),
    ).not.toBeNull();
  });
});
