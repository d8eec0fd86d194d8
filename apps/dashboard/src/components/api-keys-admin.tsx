'use client';

import { CreateApiKeyRequest, type CreatedApiKeyResponse } from '@station/contracts';
import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { adminClient } from '../lib/admin-client';
import { endOfDay, keyState, when } from '../lib/admin-format';
import { describeIssues } from '../lib/describe-issues';
import { ROLE_LABEL } from '../lib/navigation';
import { settle, useAdminList, type Outcome } from '../lib/use-admin-list';
import styles from './admin.module.css';
import { ConfirmButton } from './confirm-button';
import { OutcomeLine } from './outcome-line';
import { SecretOnce } from './secret-once';

const KEY_ROLES = ['operator', 'supervisor', 'engineer'] as const;

/** The API keys page: create a key (shown once), list them, revoke one. */
export function ApiKeysAdmin({
  serverUrl,
  signedOut,
}: {
  serverUrl: string;
  signedOut: () => void;
}) {
  const client = useMemo(() => adminClient(serverUrl), [serverUrl]);
  const load = useCallback(() => client.listApiKeys(), [client]);
  const { value, error, reload } = useAdminList(load, signedOut);
  const loadStations = useCallback(() => client.listStations(), [client]);
  const stations = useAdminList(loadStations, signedOut).value?.stations ?? [];
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [created, setCreated] = useState<CreatedApiKeyResponse | null>(null);
  const [role, setRole] = useState<string>('supervisor');
  const [busy, setBusy] = useState(false);

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const expires = String(form.get('expires') ?? '');
    const parsed = CreateApiKeyRequest.safeParse({
      name: String(form.get('name') ?? ''),
      role,
      stationId: role === 'operator' ? String(form.get('stationId') ?? '') : undefined,
      expiresAt: expires === '' ? undefined : endOfDay(expires),
    });
    if (!parsed.success) {
      setOutcome({ ok: false, message: `Not created: ${describeIssues(parsed.error)}` });
      return;
    }
    setBusy(true);
    const result = await client.createApiKey(parsed.data);
    setBusy(false);
    setOutcome(await settle(result, `Created ${parsed.data.name}`, reload, signedOut));
    if (result.ok) {
      setCreated(result.value);
      element.reset();
    }
  };

  return (
    <>
      {created && (
        <SecretOnce
          title={`The key for ${created.apiKey.name}`}
          secret={created.key}
          onDismiss={() => setCreated(null)}
        >
          <p className={styles.muted}>
            Scripts send it as <code>Authorization: Bearer …</code>. It acts as{' '}
            {ROLE_LABEL[created.apiKey.role].toLowerCase()}
            {created.apiKey.stationId && <> at {created.apiKey.stationId}</>}.
          </p>
        </SecretOnce>
      )}
      <section className={styles.section}>
        <h2 className={styles.sectionTitle}>Create a key</h2>
        <p className={styles.muted}>
          For scripts. A key is never an admin: admin work needs a person signed in.
        </p>
        <form className={styles.form} onSubmit={(event) => void create(event)}>
          <label className={styles.field}>
            Name
            <input name="name" className={styles.input} data-testid="key-name" />
          </label>
          <label className={styles.field}>
            Role
            <select
              name="role"
              value={role}
              onChange={(event) => setRole(event.target.value)}
              className={styles.input}
              data-testid="key-role"
            >
              {KEY_ROLES.map((option) => (
                <option key={option} value={option}>
                  {ROLE_LABEL[option]}
                </option>
              ))}
            </select>
          </label>
          {role === 'operator' && (
            <label className={styles.field}>
              Station
              <select name="stationId" className={styles.input} data-testid="key-station">
                {stations.map((station) => (
                  <option key={station.stationId} value={station.stationId}>
                    {station.stationId}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className={styles.field}>
            Expires (optional)
            <input name="expires" type="date" className={styles.input} data-testid="key-expires" />
          </label>
          <button type="submit" className={styles.button} disabled={busy} data-testid="key-create">
            {busy ? 'Creating…' : 'Create key'}
          </button>
        </form>
      </section>
      <OutcomeLine outcome={outcome} />
      <section className={styles.section}>
        <h2 className={styles.sectionTitle}>Keys</h2>
        {error && (
          <p className={styles.error} role="alert" data-testid="list-error">
            {error}
          </p>
        )}
        {value && value.apiKeys.length === 0 && <p className={styles.muted}>No keys yet.</p>}
        {value && value.apiKeys.length > 0 && (
          <table className={styles.table} data-testid="key-list">
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Role</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Expires</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {value.apiKeys.map((key) => (
                <tr key={key.id} data-testid="key-row" data-prefix={key.prefix}>
                  <td>{key.name}</td>
                  <td>
                    <code>{key.prefix}…</code>
                  </td>
                  <td>
                    {ROLE_LABEL[key.role]}
                    {key.stationId && <span className={styles.muted}> at {key.stationId}</span>}
                  </td>
                  <td className={styles.muted}>{when(key.createdAt)}</td>
                  <td className={styles.muted}>{when(key.lastUsedAt)}</td>
                  <td className={styles.muted}>{when(key.expiresAt)}</td>
                  <td data-testid="key-status">{keyState(key)}</td>
                  <td>
                    {key.revokedAt === null && (
                      <ConfirmButton
                        label="Revoke"
                        question={`Revoke ${key.name} (${key.prefix}…)? Scripts using it stop working now.`}
                        testId="key-revoke"
                        onConfirm={async () =>
                          setOutcome(
                            await settle(
                              await client.revokeApiKey(key.id),
                              `Revoked ${key.name}`,
                              reload,
                              signedOut,
                            ),
                          )
                        }
                      />
                    )}
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
