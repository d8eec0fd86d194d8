'use client';

import { useEffect, useState } from 'react';
import { fetchHealth } from '../lib/health-client';
import { signInPath } from '../lib/kiosk';
import styles from './sign-in.module.css';

type Known =
  { kind: 'loading' } | { kind: 'ok'; stationIds: string[] } | { kind: 'failed'; message: string };

/**
 * Turns this screen into a station's kiosk (its badge field), for a screen whose address does not
 * name one yet. The stations are the ones the server knows; one can also be typed.
 */
export function StationPicker({ serverUrl }: { serverUrl: string }) {
  const [known, setKnown] = useState<Known>({ kind: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    fetchHealth(serverUrl, controller.signal).then(
      (result) =>
        setKnown(
          result.kind === 'ok'
            ? { kind: 'ok', stationIds: result.health.stations.map((s) => s.stationId) }
            : { kind: 'failed', message: result.message },
        ),
      () => {}, // aborted: the page is gone
    );
    return () => controller.abort();
  }, [serverUrl]);

  return (
    <section className={styles.picker} data-testid="station-picker">
      <h2 className={styles.pickerTitle}>Operator kiosk</h2>
      <p className={styles.hint}>
        Make this screen a station&apos;s kiosk: operators then sign in by badge.
      </p>
      {known.kind === 'loading' && (
        <p className={styles.hint}>Asking the server for its stations…</p>
      )}
      {known.kind === 'failed' && <p className={styles.hint}>{known.message}</p>}
      {known.kind === 'ok' && known.stationIds.length === 0 && (
        <p className={styles.hint}>The server knows no station yet: type its id.</p>
      )}
      {known.kind === 'ok' && known.stationIds.length > 0 && (
        <ul className={styles.stations}>
          {known.stationIds.map((stationId) => (
            <li key={stationId}>
              <a
                className={styles.station}
                href={signInPath(stationId)}
                data-testid="kiosk-station"
              >
                {stationId}
              </a>
            </li>
          ))}
        </ul>
      )}
      {/* A plain GET form: the page reloads as /sign-in?station=<id>, the kiosk's own address. */}
      <form className={styles.pickerForm} action="/sign-in" method="get">
        <input
          name="station"
          className={styles.input}
          data-testid="kiosk-station-input"
          placeholder="Station id, e.g. station-1"
          autoComplete="off"
          required
        />
        <button type="submit" className={styles.submit}>
          Open kiosk
        </button>
      </form>
    </section>
  );
}
