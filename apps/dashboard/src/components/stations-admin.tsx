'use client';

import {
  CreateStationRequest,
  type StationCredentialResponse,
  type StationCredentialSummary,
} from '@station/contracts';
import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { adminClient, type AdminResult } from '../lib/admin-client';
import { when } from '../lib/admin-format';
import { describeIssues } from '../lib/describe-issues';
import { settle, useAdminList, type Outcome } from '../lib/use-admin-list';
import styles from './admin.module.css';
import { ConfirmButton } from './confirm-button';
import { OutcomeLine } from './outcome-line';
import { SecretOnce } from './secret-once';

/** The Stations page: create a station and its credential, rotate it, revoke it. */
export function StationsAdmin({
  serverUrl,
  signedOut,
}: {
  serverUrl: string;
  signedOut: () => void;
}) {
  const client = useMemo(() => adminClient(serverUrl), [serverUrl]);
  const load = useCallback(() => client.listStations(), [client]);
  const { value, error, reload } = useAdminList(load, signedOut);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [issued, setIssued] = useState<StationCredentialResponse | null>(null);
  const [busy, setBusy] = useState(false);

  /** A create or rotate: the secret is shown once, the list reloaded. */
  const issue = async (result: AdminResult<StationCredentialResponse>, success: string) => {
    setOutcome(await settle(result, success, reload, signedOut));
    if (result.ok) setIssued(result.value);
    return result.ok;
  };

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const name = String(form.get('name') ?? '').trim();
    const parsed = CreateStationRequest.safeParse({
      stationId: String(form.get('stationId') ?? '').trim(),
      name: name === '' ? undefined : name,
    });
    if (!parsed.success) {
      setOutcome({ ok: false, message: `Not created: ${describeIssues(parsed.error)}` });
      return;
    }
    setBusy(true);
    const ok = await issue(
      await client.createStation(parsed.data),
      `Created ${parsed.data.stationId}`,
    );
    setBusy(false);
    if (ok) element.reset();
  };

  const actions = (station: StationCredentialSummary) =>
    station.credentialIssuedAt === null ? (
      // Known from a registration, or revoked: a new credential is issued as on creation.
      <button
        type="button"
        className={styles.quiet}
        data-testid="station-issue"
        onClick={async () =>
          void (await issue(
            await client.createStation({ stationId: station.stationId }),
            `Issued a credential to ${station.stationId}`,
          ))
        }
      >
        Issue credential
      </button>
    ) : (
      <>
        <ConfirmButton
          label="Rotate"
          question={`Rotate ${station.stationId}'s credential? Its agent is cut off until it gets the new secret.`}
          testId="station-rotate"
          onConfirm={async () =>
            void (await issue(
              await client.rotateStation(station.stationId),
              `Rotated ${station.stationId}'s credential`,
            ))
          }
        />
        <ConfirmButton
          label="Revoke"
          question={`Revoke ${station.stationId}'s credential? It is disconnected and ignored from now on.`}
          testId="station-revoke"
          onConfirm={async () =>
            setOutcome(
              await settle(
                await client.revokeStation(station.stationId),
                `Revoked ${station.stationId}'s credential`,
                reload,
                signedOut,
              ),
            )
          }
        />
      </>
    );

  return (
    <>
      {issued && (
        <SecretOnce
          title={`The credential of ${issued.stationId}`}
          secret={issued.secret}
          onDismiss={() => setIssued(null)}
        >
          <p className={styles.muted}>
            Put it in the station&apos;s <code>STATION_SECRET_FILE</code> (mode 600) and restart its
            agent. Its Redis user is <code>{issued.redisUser}</code>.
          </p>
        </SecretOnce>
      )}
      <section className={styles.section}>
        <h2 className={styles.sectionTitle}>Create a station</h2>
        <form className={styles.form} onSubmit={(event) => void create(event)}>
          <label className={styles.field}>
            Station id
            <input name="stationId" className={styles.input} data-testid="station-new-id" />
          </label>
          <label className={styles.field}>
            Name (optional)
            <input name="name" className={styles.input} data-testid="station-new-name" />
          </label>
          <button
            type="submit"
            className={styles.button}
            disabled={busy}
            data-testid="station-create"
          >
            {busy ? 'Creating…' : 'Create station'}
          </button>
        </form>
      </section>
      <OutcomeLine outcome={outcome} />
      <section className={styles.section}>
        <h2 className={styles.sectionTitle}>Stations</h2>
        {error && (
          <p className={styles.error} role="alert" data-testid="list-error">
            {error}
          </p>
        )}
        {value && value.stations.length === 0 && <p className={styles.muted}>No stations yet.</p>}
        {value && value.stations.length > 0 && (
          <table className={styles.table} data-testid="station-list">
            <thead>
              <tr>
                <th>Station</th>
                <th>Name</th>
                <th>Credential issued</th>
                <th>Agent</th>
                <th>Last seen</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {value.stations.map((station) => (
                <tr
                  key={station.stationId}
                  data-testid="station-row"
                  data-station-id={station.stationId}
                >
                  <td>{station.stationId}</td>
                  <td>{station.name}</td>
                  <td data-testid="station-credential">
                    {station.credentialIssuedAt === null
                      ? 'None'
                      : when(station.credentialIssuedAt)}
                  </td>
                  <td>{station.connected ? 'Connected' : 'Not connected'}</td>
                  <td className={styles.muted}>{when(station.lastSeenAt)}</td>
                  <td>
                    <div className={styles.actions}>{actions(station)}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
