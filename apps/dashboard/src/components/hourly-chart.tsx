'use client';

import type { YieldRow } from '@station/contracts';
import { useMemo } from 'react';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { hourChartData } from '../lib/chart-data';
import { shiftHours, type FiguresWindow } from '../lib/shift-window';
import { CHART } from './chart-style';
import styles from './yield.module.css';

/**
 * Yield by hour over the shift: units as bars, first-pass and final yield as lines (the first
 * dashed, so they differ without colour). No animation: live updates redraw in place.
 */
export function HourlyChart({
  rows,
  window,
  timeZone,
}: {
  rows: readonly YieldRow[];
  window: FiguresWindow | null;
  timeZone: string;
}) {
  const data = useMemo(
    () => hourChartData(window ? shiftHours(window, timeZone) : [], rows),
    [rows, window, timeZone],
  );
  return (
    <section className={styles.panel} data-testid="hourly-chart" aria-label="Yield by hour">
      <h2 className={styles.panelTitle}>Yield by hour</h2>
      <div className={styles.chart}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={CHART.margin}>
            <CartesianGrid stroke={CHART.grid} vertical={false} />
            <XAxis dataKey="hour" stroke={CHART.axis} tick={CHART.tick} />
            <YAxis yAxisId="units" allowDecimals={false} stroke={CHART.axis} tick={CHART.tick} />
            <YAxis
              yAxisId="percent"
              orientation="right"
              domain={[0, 100]}
              unit=" %"
              stroke={CHART.axis}
              tick={CHART.tick}
            />
            <Tooltip contentStyle={CHART.tooltip} />
            <Legend wrapperStyle={CHART.legend} />
            <Bar
              yAxisId="units"
              dataKey="units"
              name="Units"
              fill={CHART.units}
              isAnimationActive={false}
            />
            <Line
              yAxisId="percent"
              dataKey="firstPass"
              name="First-pass yield %"
              stroke={CHART.firstPass}
              strokeWidth={3}
              strokeDasharray="6 4"
              dot={{ r: 4 }}
              isAnimationActive={false}
            />
            <Line
              yAxisId="percent"
              dataKey="final"
              name="Final yield %"
              stroke={CHART.final}
              strokeWidth={3}
              dot={{ r: 4 }}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
