'use client';

import type { SessionUser } from '@station/contracts';
import { useEffect } from 'react';
import { mayRework } from '../lib/flash-client';
import { stationScopeOf } from '../lib/station-scope';
import { HEALTH_REFRESH_MS, useLineStatus } from '../lib/use-line-status';
import { useAlerts } from '../lib/use-alerts';
import { useResultSound } from '../lib/use-result-sound';
import { AlertList } from './alert-list';
import { HealthPanel } from './health-panel';
import styles from './line-view.module.css';
import { Notice } from './notice';
import { SoundToggle } from './sound-toggle';
import { StationCard } from './station-card';

// The browser hides why a cross-origin request failed: a CORS refusal looks like a dead server.
const pageOrigin = () =>
  typeof window === 'undefined' ? "this page's origin" : window.location.origin;

const LINK_LABEL = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' };

/**
 * The line: a one-row header (title, system health, live link, sound), then one card per station
 * with its slot tiles, each card as high as the screen leaves (the tiles fit in it); for an
 * operator, only the station their session is bound to.
 */
export function LineView({
  serverUrl,
  user,
  onUnauthenticated,
}: {
  serverUrl: string;
  user: SessionUser;
  /** The server stopped accepting this browser's session. */
  onUnauthenticated: () => void;
}) {
  const scope = stationScopeOf(user);
  const [state, dispatch] = useLineStatus(serverUrl, scope, onUnauthenticated);
  const { health, stations } = state;
  const retry = `The dashboard retries every ${HEALTH_REFRESH_MS / 1000} s.`;
  const sound = useResultSound(state.tiles);
  // Alerts are supervisors' and up (the server's role matrix); an operator's kiosk asks nothing.
  const alerts = useAlerts(serverUrl, user.role !== 'operator');

  // A barcode scanner types into whatever has focus: when nothing useful has it (page just opened,
  // or the focused slot became busy, perhaps from another screen), the first slot that takes a
  // scan gets it.
  useEffect(() => {
    const active = document.activeElement;
    const stuck = active instanceof HTMLInputElement && active.disabled;
    if (active && active !== document.body && !stuck) return;
    document.querySelector<HTMLInputElement>('[data-testid="scan-input"]:not(:disabled)')?.focus();
  }, [state.stations, state.tiles]);

  return (
    <main
      className={styles.main}
      data-testid="line-view"
      data-last-tone={sound.lastTone ?? undefined}
      data-tones-played={sound.played}
    >
      <header className={styles.header}>
        <h1 className={styles.title}>Flash Station · Line view</h1>
        <HealthPanel health={health} checkedAt={state.checkedAt} />
        <span className={styles.link} data-testid="live-link" data-state={state.link}>
          {LINK_LABEL[state.link]}
        </span>
        <SoundToggle sound={sound} />
      </header>

      {health?.kind === 'unreachable' && (
        <Notice tone="error" testId="server-unreachable" title={health.message}>
          Start it with <code>npm start</code>. If it is running, check SERVER_URL here and
          DASHBOARD_ORIGIN on the server: it must list <code>{pageOrigin()}</code>. {retry}
        </Notice>
      )}
      {health?.kind === 'invalid' && (
        <Notice tone="error" testId="server-invalid" title="Unexpected answer from the server">
          {health.message}. {retry}
        </Notice>
      )}
      {user.role !== 'operator' && <AlertList view={alerts} compact />}
      {state.liveError && (
        <Notice tone="warning" testId="live-error" title="Live update ignored">
          {state.liveError}
        </Notice>
      )}

      {Object.keys(state.watchErrors).length > 0 && (
        <Notice tone="warning" testId="watch-error" title="Not following every station">
          {Object.values(state.watchErrors).join(' ')}
        </Notice>
      )}

      {health?.kind === 'ok' && stations.length === 0 && scope.kind === 'all' && (
        <Notice tone="info" testId="no-stations" title="No station connected">
          Start one with <code>npm start</code> or <code>npm run station</code>.
        </Notice>
      )}
      {health?.kind === 'ok' && stations.length === 0 && scope.kind === 'one' && (
        <Notice
          tone="info"
          testId="no-stations"
          title={
            scope.stationId === null
              ? 'No station for this session'
              : `Station ${scope.stationId} is not connected`
          }
        >
          An operator sees the station they signed in at: scan your badge at its kiosk.
        </Notice>
      )}

      <div className={styles.stations} data-testid="stations" data-stale={health?.kind !== 'ok'}>
        {stations.map((station) => (
          <StationCard
            key={station.stationId}
            station={station}
            serverUrl={serverUrl}
            tiles={state.tiles}
            following={state.following[station.stationId] === true}
            dispatch={dispatch}
            onUnauthenticated={onUnauthenticated}
            canRework={mayRework(user.role)}
          />
        ))}
      </div>
    </main>
  );
}
