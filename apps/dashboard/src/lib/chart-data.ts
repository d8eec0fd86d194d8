import type { ParetoRow, YieldRow } from '@station/contracts';

/** What the yield page's two recharts charts plot (pure): percentages 0–100, null where none. */

const pct = (ratio: number | null) => (ratio === null ? null : Math.round(ratio * 1000) / 10);

export interface HourPoint {
  /** `06:00`, the line-clock hour. */
  hour: string;
  key: string;
  units: number;
  firstPass: number | null;
  final: number | null;
}

/** Every hour of the shift in order (`hours`, from shiftHours), with its figures or none. */
export function hourChartData(hours: readonly string[], rows: readonly YieldRow[]): HourPoint[] {
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const keys = [...hours, ...rows.map((r) => r.key).filter((key) => !hours.includes(key))];
  return keys.map((key) => {
    const row = byKey.get(key);
    return {
      hour: key.slice(11),
      key,
      units: row?.units ?? 0,
      firstPass: pct(row?.firstPassYield ?? null),
      final: pct(row?.finalYield ?? null),
    };
  });
}

export interface ParetoPoint {
  key: string;
  /** The bar's name on the axis: the label, shortened. */
  name: string;
  label: string;
  count: number;
  share: number;
  cumulative: number;
}

/** Bars the chart shows at most; the rest are one bar, "other", so the biggest stay readable. */
export const PARETO_BARS = 8;
const NAME_CHARS = 18;

const shorten = (text: string) =>
  text.length <= NAME_CHARS ? text : `${text.slice(0, NAME_CHARS - 1)}…`;

/** Most frequent first as the server ranks them, the tail folded into "other (n)". */
export function paretoChartData(rows: readonly ParetoRow[]): ParetoPoint[] {
  const point = (row: ParetoRow): ParetoPoint => ({
    key: row.key,
    name: shorten(row.label),
    label: row.label === row.key ? row.key : `${row.key} ${row.label}`,
    count: row.count,
    share: pct(row.share)!,
    cumulative: pct(row.cumulativeShare)!,
  });
  if (rows.length <= PARETO_BARS) return rows.map(point);
  const shown = rows.slice(0, PARETO_BARS - 1);
  const rest = rows.slice(PARETO_BARS - 1);
  const other = `other (${rest.length})`;
  return [
    ...shown.map(point),
    {
      key: 'other',
      name: other,
      label: `${other}: ${rest.map((r) => r.label).join(', ')}`,
      count: rest.reduce((sum, r) => sum + r.count, 0),
      share: pct(rest.reduce((sum, r) => sum + r.share, 0))!,
      cumulative: 100,
    },
  ];
}
