'use client';

import type { FirmwarePackageResponse } from '@station/contracts';
import { useState } from 'react';
import { activatePackage, describeActive, shortDigest } from '../lib/firmware-client';
import styles from './firmware.module.css';

const LINE = '';

/** Every package, newest first, with where it is active and a way to activate it. */
export function FirmwareTable({
  serverUrl,
  packages,
  stations,
  onSignedOut,
  onActivated,
}: {
  serverUrl: string;
  packages: FirmwarePackageResponse[];
  stations: string[];
  onSignedOut: () => void;
  onActivated: () => Promise<void>;
}) {
  if (packages.length === 0) {
    return <p data-testid="firmware-empty">No package yet: upload one above.</p>;
  }
  return (
    <table className={styles.table} data-testid="firmware-list">
      <thead>
        <tr>
          <th>Revision</th>
          <th>Platform</th>
          <th>Digest</th>
          <th>Uploaded by</th>
          <th>Active on</th>
          <th>Activate</th>
        </tr>
      </thead>
      <tbody>
        {packages.map((pkg) => (
          <Row
            key={pkg.id}
            pkg={pkg}
            stations={stations}
            serverUrl={serverUrl}
            onSignedOut={onSignedOut}
            onActivated={onActivated}
          />
        ))}
      </tbody>
    </table>
  );
}

function Row({
  pkg,
  stations,
  serverUrl,
  onSignedOut,
  onActivated,
}: {
  pkg: FirmwarePackageResponse;
  stations: string[];
  serverUrl: string;
  onSignedOut: () => void;
  onActivated: () => Promise<void>;
}) {
  const [scope, setScope] = useState(LINE);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const activate = async () => {
    setBusy(true);
    setMessage(null);
    const result = await activatePackage(serverUrl, pkg.id, scope === LINE ? null : scope);
    setBusy(false);
    if (!result.ok) {
      if (result.signedOut) return onSignedOut();
      return setMessage(result.message);
    }
    await onActivated();
  };

  return (
    <tr data-testid="firmware-row" data-package-id={pkg.id} data-revision={pkg.revision}>
      <td>{pkg.revision}</td>
      <td>{pkg.platform}</td>
      <td>
        <code title={pkg.digest} data-testid="firmware-digest">
          {shortDigest(pkg.digest)}
        </code>
      </td>
      <td>{pkg.uploadedBy?.displayName ?? (pkg.stored ? '—' : 'announced by a station')}</td>
      <td data-testid="firmware-active">{describeActive(pkg.activeOn)}</td>
      <td>
        {pkg.stored ? (
          <span className={styles.activate}>
            <select
              value={scope}
              onChange={(event) => setScope(event.target.value)}
              aria-label={`Where to activate ${pkg.revision}`}
              data-testid="activate-scope"
            >
              <option value={LINE}>Whole line</option>
              {stations.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
            <button
              type="button"
              disabled={busy}
              onClick={() => void activate()}
              data-testid="activate"
            >
              {busy ? 'Activating…' : 'Activate'}
            </button>
          </span>
        ) : (
          <span className={styles.muted}>upload its archive to activate it</span>
        )}
        {message && (
          <p className={styles.refused} role="alert" data-testid="activate-error">
            {message}
          </p>
        )}
      </td>
    </tr>
  );
}
