// deploy/prometheus/alerts.yml repeats the server's alert thresholds in PromQL (Prometheus cannot
// read ALERT_*). This keeps the two equal: each rule's number, range and hold is read from the file
// and compared with the server's defaults (apps/server/src/env.ts). A changed default fails here
// until the rules file says the same.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '@station/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseEnv } from '../src/env';

interface Rule {
  alert: string;
  expr: string;
  for?: string;
}

const defaults = parseEnv({});
let rules: Map<string, Rule>;

/** A duration as Prometheus writes it: whole hours as `Nh`, else whole minutes as `Nm`. */
function promDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  expect(ms % 60_000, `${ms} ms is not a whole number of minutes`).toBe(0);
  return `${ms / 60_000}m`;
}
const rule = (name: string): Rule => {
  const found = rules.get(name);
  expect(found, `rule ${name} in deploy/prometheus/alerts.yml`).toBeDefined();
  return found!;
};
/** The range selectors an expression uses, e.g. ["1h"] for `increase(x[1h])`. */
const ranges = (expr: string) => [...new Set([...expr.matchAll(/\[(\w+)\]/g)].map((m) => m[1]))];
const compact = (expr: string) => expr.replace(/\s+/g, ' ').trim();

beforeAll(async () => {
  const file = parse(await readFile(join(repoRoot, 'deploy/prometheus/alerts.yml'), 'utf8')) as {
    groups: { rules: Rule[] }[];
  };
  rules = new Map(file.groups.flatMap((g) => g.rules).map((r) => [r.alert, r]));
});

describe('the Prometheus rules use the server alert defaults', () => {
  it('yield below target: ALERT_YIELD_TARGET, ALERT_MIN_UNITS over ALERT_WINDOW_MS', () => {
    const { expr } = rule('FlashStationYieldBelowTarget');
    expect(compact(expr)).toContain(`) < ${defaults.ALERT_YIELD_TARGET} `);
    expect(compact(expr)).toMatch(new RegExp(`>= ${defaults.ALERT_MIN_UNITS}$`));
    expect(ranges(expr)).toEqual([promDuration(defaults.ALERT_WINDOW_MS)]);
  });

  it('retests high: ALERT_RETEST_RATE_MAX, ALERT_MIN_UNITS over ALERT_WINDOW_MS', () => {
    const { expr } = rule('FlashStationRetestRateHigh');
    expect(compact(expr)).toContain(`) > ${defaults.ALERT_RETEST_RATE_MAX} `);
    expect(compact(expr)).toMatch(new RegExp(`>= ${defaults.ALERT_MIN_UNITS}$`));
    expect(ranges(expr)).toEqual([promDuration(defaults.ALERT_WINDOW_MS)]);
  });

  it('slot silent: ALERT_SILENT_MS', () => {
    expect(ranges(rule('FlashStationSlotSilent').expr)).toEqual([
      promDuration(defaults.ALERT_SILENT_MS),
    ]);
  });

  it('station offline and results waiting hold for ALERT_HOLD_MS', () => {
    const hold = promDuration(defaults.ALERT_HOLD_MS);
    for (const name of [
      'FlashStationStationOffline',
      'FlashStationResultsWaiting',
      'FlashStationJournalUnconfirmed',
    ])
      expect(rule(name).for, name).toBe(hold);
  });
});
