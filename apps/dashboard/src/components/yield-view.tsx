'use client';

import type { ParetoBy } from '@station/contracts';
import { useMemo, useState } from 'react';
import { elapsedHours } from '../lib/shift-window';
import { resultSignature } from '../lib/live-results';
import { useLineStatus } from '../lib/use-line-status';
import { useAlerts } from '../lib/use-alerts';
import { useYieldFigures } from '../lib/use-yield-figures';
import { AlertList } from './alert-list';
import { HourlyChart } from './hourly-chart';
import { LineStrip } from './line-strip';
import { Notice } from './notice';
import { OpenDecisions } from './open-decisions';
import { ParetoPanel } from './pareto-panel';
import { ShiftFigures } from './shift-figures';
import { SlotHeatMap } from './slot-heat-map';
import styles from './yield.module.css';

const ALL_STATIONS = { kind: 'all' } as const;

/**
 * The supervisors' line page (issue #10 §4): every station and slot live, the current shift's
 * figures against the target, yield by hour, the slot heat map, the failure Pareto and what waits
 * for a supervisor's word. Figures are fetched again about a second after a result is stored; the
 * previous ones stay on screen meanwhile, so nothing blinks or jumps.
 */
export function YieldView({
  serverUrl,
  onSignedOut,
}: {
  serverUrl: string;
  onSignedOut: () => void;
}) {
  const [line] = useLineStatus(serverUrl, ALL_STATIONS, onSignedOut);
  const [paretoBy, setParetoBy] = useState<ParetoBy>('errorCode');
  const signal = useMemo(() => resultSignature(line.tiles), [line.tiles]);
  const { settings, figures, error, loading, refresh } = useYieldFigures(
    serverUrl,
    signal,
    paretoBy,
    onSignedOut,
  );
  const liveSlots = useMemo(
    () => line.stations.map((s) => ({ stationId: s.stationId, slots: s.slots.map((x) => x.slot) })),
    [line.stations],
  );
  const shown = figures && settings ? { figures, settings } : null;
  const alerts = useAlerts(serverUrl);

  return (
    <div className={styles.page} data-testid="yield-page" data-loading={loading}>
      <header className={styles.header}>
        <h1 className={styles.title}>Yield</h1>
        <span className={styles.shift} data-testid="shift-key">
          {settings
            ? `Shift ${settings.currentShift.key} · ${settings.timeZone}`
            : 'Finding the current shift…'}
        </span>
        <span className={styles.updated} data-testid="figures-updated" aria-live="polite">
          {loading ? 'Updating…' : shown ? 'Up to date' : ''}
        </span>
        <span className={styles.link} data-testid="live-link" data-state={line.link}>
          {line.link === 'live'
            ? 'Live'
            : line.link === 'connecting'
              ? 'Connecting…'
              : 'Reconnecting…'}
        </span>
      </header>
      {error && (
        <Notice tone="error" testId="figures-error" title="The figures could not be read">
          {error}. {shown ? 'The figures below are the last ones read; ' : ''}the page asks again
          with the next result, or within a minute.
        </Notice>
      )}
      <AlertList view={alerts} />
      <LineStrip stations={line.stations} tiles={line.tiles} />
      <ShiftFigures
        total={shown ? shown.figures.total : undefined}
        hours={shown ? elapsedHours(shown.figures.window, shown.figures.fetchedAt) : 1}
        target={settings?.unitsPerHourTarget ?? null}
      />
      <div className={styles.row}>
        <HourlyChart
          rows={shown?.figures.byHour ?? []}
          window={shown?.figures.window ?? null}
          timeZone={settings?.timeZone ?? 'UTC'}
        />
        <ParetoPanel
          rows={shown?.figures.pareto ?? []}
          by={paretoBy}
          shownBy={shown?.figures.paretoBy ?? paretoBy}
          onBy={setParetoBy}
        />
      </div>
      <div className={styles.row}>
        <SlotHeatMap live={liveSlots} rows={shown?.figures.bySlot ?? []} />
        <OpenDecisions
          serverUrl={serverUrl}
          decisions={shown?.figures.decisions ?? null}
          onChanged={refresh}
          onSignedOut={onSignedOut}
        />
      </div>
    </div>
  );
}
