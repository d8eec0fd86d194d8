'use client';

import type { FirmwarePackageResponse } from '@station/contracts';
import { useCallback, useEffect, useState } from 'react';
import { listPackages, listStationIds } from '../lib/firmware-client';
import { FirmwareTable } from './firmware-table';
import { FirmwareUpload } from './firmware-upload';
import { Notice } from './notice';
import styles from './firmware.module.css';

/** The registry: upload a package, see every package and where it is active, activate one. */
export function FirmwareView({
  serverUrl,
  onSignedOut,
}: {
  serverUrl: string;
  onSignedOut: () => void;
}) {
  const [packages, setPackages] = useState<FirmwarePackageResponse[] | null>(null);
  const [stations, setStations] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const [list, stationIds] = await Promise.all([
      listPackages(serverUrl),
      listStationIds(serverUrl),
    ]);
    if ((!list.ok && list.signedOut) || (!stationIds.ok && stationIds.signedOut)) {
      return onSignedOut();
    }
    if (list.ok) setPackages(list.value.packages);
    if (stationIds.ok) setStations(stationIds.value);
    setError(!list.ok ? list.message : !stationIds.ok ? stationIds.message : null);
  }, [serverUrl, onSignedOut]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <div className={styles.page}>
      <h1 className={styles.heading}>Firmware packages</h1>
      <FirmwareUpload serverUrl={serverUrl} onSignedOut={onSignedOut} onUploaded={refresh} />
      {error && (
        <Notice tone="error" testId="firmware-error" title={error}>
          Reload the page to try again.
        </Notice>
      )}
      {packages === null ? (
        <p data-testid="firmware-loading">Loading packages…</p>
      ) : (
        <FirmwareTable
          serverUrl={serverUrl}
          packages={packages}
          stations={stations}
          onSignedOut={onSignedOut}
          onActivated={refresh}
        />
      )}
    </div>
  );
}
