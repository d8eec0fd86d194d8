// The module-status rule, every case, without a database: status and revision change only from
// attempts that talked to that module.
import { describe, expect, it } from 'vitest';
import { testImei } from '@station/testkit';
import { decideModuleChange, type ModuleRuleAttempt } from '../src/index';

const IMEI = testImei(1);
const OTHER = testImei(2);
const fresh = { imei: IMEI, status: 'new' as const };

const attempt = (changes: Partial<ModuleRuleAttempt>): ModuleRuleAttempt => ({
  outcome: 'passed',
  reportedImei: IMEI,
  revisionBefore: 'MC60CAR01A12',
  revisionAfter: 'MC60CAR01A13',
  ...changes,
});

describe('decideModuleChange', () => {
  it('passed: status passed, revision = the revision read after flashing', () => {
    expect(decideModuleChange(fresh, attempt({}))).toEqual({
      status: 'passed',
      currentRevision: 'MC60CAR01A13',
    });
  });

  it('passed without a revision read: the old revision is gone, so it becomes unknown', () => {
    expect(decideModuleChange(fresh, attempt({ revisionAfter: null }))).toEqual({
      status: 'passed',
      currentRevision: null,
    });
  });

  it('failed on this module: status failed, revision = after ?? before', () => {
    expect(decideModuleChange(fresh, attempt({ outcome: 'failed' }))).toEqual({
      status: 'failed',
      currentRevision: 'MC60CAR01A13',
    });
    expect(decideModuleChange(fresh, attempt({ outcome: 'failed', revisionAfter: null }))).toEqual({
      status: 'failed',
      currentRevision: 'MC60CAR01A12',
    });
  });

  it('failed on this module with no revision read: status failed, revision left alone', () => {
    const change = decideModuleChange(
      fresh,
      attempt({ outcome: 'failed', revisionBefore: null, revisionAfter: null }),
    );
    expect(change).toEqual({ status: 'failed' });
    expect(change).not.toHaveProperty('currentRevision');
  });

  it('failed with no IMEI read (no AT answer): status failed, revision left alone', () => {
    const change = decideModuleChange(
      fresh,
      attempt({ outcome: 'failed', reportedImei: null, revisionAfter: 'X', revisionBefore: 'Y' }),
    );
    expect(change).toEqual({ status: 'failed' });
    expect(change).not.toHaveProperty('currentRevision');
  });

  it.each(['passed', 'failed', 'interrupted'] as const)(
    'another module answered in the slot (%s): no change at all',
    (outcome) => {
      expect(decideModuleChange(fresh, attempt({ outcome, reportedImei: OTHER }))).toBeNull();
    },
  );

  it.each(['interrupted', 'canceled', 'running'] as const)('%s: no change', (outcome) => {
    expect(decideModuleChange(fresh, attempt({ outcome }))).toBeNull();
  });

  it.each(['quarantined', 'scrapped'] as const)(
    'a %s module never changes, whatever the attempt',
    (status) => {
      for (const outcome of ['passed', 'failed'] as const) {
        expect(decideModuleChange({ imei: IMEI, status }, attempt({ outcome }))).toBeNull();
        expect(
          decideModuleChange({ imei: IMEI, status }, attempt({ outcome, reportedImei: null })),
        ).toBeNull();
      }
    },
  );

  it('a passed or failed module changes again on its next attempt', () => {
    expect(
      decideModuleChange({ imei: IMEI, status: 'failed' }, attempt({ outcome: 'passed' })),
    ).toMatchObject({ status: 'passed' });
    expect(
      decideModuleChange({ imei: IMEI, status: 'passed' }, attempt({ outcome: 'failed' })),
    ).toMatchObject({ status: 'failed' });
  });
});
