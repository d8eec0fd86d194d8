'use client';

import { ParetoBy, type ParetoRow } from '@station/contracts';
import { useMemo } from 'react';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { paretoChartData } from '../lib/chart-data';
import { percent } from '../lib/shift-figures';
import { CHART } from './chart-style';
import styles from './yield.module.css';

const BY_LABEL: Record<ParetoBy, string> = {
  errorCode: 'error code',
  stage: 'stage',
  slot: 'slot',
  station: 'station',
  package: 'package',
};
/** Causes listed in words under the chart (the chart holds more). */
const LISTED = 4;

/**
 * The shift's failed attempts by cause: bars most frequent first, the cumulative share as a line;
 * the biggest causes also in words. `shownBy`: the grouping of the rows on screen (a new one
 * loads in place).
 */
export function ParetoPanel({
  rows,
  by,
  shownBy,
  onBy,
}: {
  rows: readonly ParetoRow[];
  by: ParetoBy;
  shownBy: ParetoBy;
  onBy: (by: ParetoBy) => void;
}) {
  const data = useMemo(() => paretoChartData(rows), [rows]);
  return (
    <section
      className={styles.panel}
      data-testid="pareto"
      data-by={shownBy}
      aria-label="Failure Pareto"
    >
      <h2 className={styles.panelTitle}>
        Failures by{' '}
        <select
          className={styles.select}
          value={by}
          data-testid="pareto-by"
          aria-label="Group failures by"
          onChange={(event) => onBy(ParetoBy.parse(event.target.value))}
        >
          {ParetoBy.options.map((option) => (
            <option key={option} value={option}>
              {BY_LABEL[option]}
            </option>
          ))}
        </select>
      </h2>
      <div className={styles.chartShort}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={CHART.margin}>
            <CartesianGrid stroke={CHART.grid} vertical={false} />
            <XAxis dataKey="name" stroke={CHART.axis} tick={CHART.tick} interval={0} />
            <YAxis yAxisId="count" allowDecimals={false} stroke={CHART.axis} tick={CHART.tick} />
            <YAxis
              yAxisId="percent"
              orientation="right"
              domain={[0, 100]}
              unit=" %"
              stroke={CHART.axis}
              tick={CHART.tick}
            />
            <Tooltip contentStyle={CHART.tooltip} />
            <Bar
              yAxisId="count"
              dataKey="count"
              name="Failed attempts"
              fill={CHART.failures}
              isAnimationActive={false}
            />
            <Line
              yAxisId="percent"
              dataKey="cumulative"
              name="Cumulative %"
              stroke={CHART.cumulative}
              strokeWidth={2}
              dot={{ r: 3 }}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <ol className={styles.paretoList}>
        {rows.length === 0 && <li className={styles.muted}>No failed attempt this shift.</li>}
        {rows.slice(0, LISTED).map((row) => (
          <li key={row.key} data-testid="pareto-row" data-key={row.key} title={row.label}>
            <span className={styles.paretoLabel}>
              {row.label === row.key ? row.key : `${row.key} ${row.label}`}
            </span>
            <span data-testid="pareto-count">{row.count}</span>
            <span>{percent(row.share)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
