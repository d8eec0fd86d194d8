'use client';

import type { FirmwarePackageResponse } from '@station/contracts';
import { useRef, useState, type FormEvent } from 'react';
import { shortDigest, uploadPackage } from '../lib/firmware-client';
import styles from './firmware.module.css';

type UploadState =
  | { kind: 'idle' }
  | { kind: 'busy'; fileName: string }
  | { kind: 'stored'; pkg: FirmwarePackageResponse; created: boolean }
  | { kind: 'refused'; fileName: string; message: string };

/** Choose an archive, send it, and see what the server's check made of it. */
export function FirmwareUpload({
  serverUrl,
  onSignedOut,
  onUploaded,
}: {
  serverUrl: string;
  onSignedOut: () => void;
  onUploaded: () => Promise<void>;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<UploadState>({ kind: 'idle' });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) {
      setState({
        kind: 'refused',
        fileName: '',
        message: 'Choose a .zip or .tar.gz archive first',
      });
      return;
    }
    setState({ kind: 'busy', fileName: file.name });
    const result = await uploadPackage(serverUrl, file);
    if (!result.ok) {
      if (result.signedOut) return onSignedOut();
      setState({ kind: 'refused', fileName: file.name, message: result.message });
      return;
    }
    setState({ kind: 'stored', pkg: result.value, created: result.status === 201 });
    await onUploaded();
  };

  return (
    <section className={styles.panel}>
      <form className={styles.upload} onSubmit={(event) => void submit(event)}>
        <label>
          Package archive (.zip or .tar.gz: the .cfg, its images, optionally the DA){' '}
          <input
            ref={input}
            type="file"
            accept=".zip,.tar.gz,.tgz,application/zip,application/gzip"
            data-testid="firmware-file"
          />
        </label>
        <button type="submit" disabled={state.kind === 'busy'} data-testid="firmware-upload">
          {state.kind === 'busy' ? `Checking ${state.fileName}…` : 'Upload'}
        </button>
      </form>
      {state.kind === 'refused' && (
        <p className={styles.refused} role="alert" data-testid="upload-error">
          {state.fileName && <>{state.fileName} was refused: </>}
          {state.message}
        </p>
      )}
      {state.kind === 'stored' && (
        <div className={styles.stored} data-testid="upload-result" data-package-id={state.pkg.id}>
          <p>
            <strong>
              {state.created ? 'Validated and stored' : 'Already stored (the same package)'}
            </strong>
            : revision <span data-testid="upload-revision">{state.pkg.revision}</span> for{' '}
            {state.pkg.platform}, digest{' '}
            <code title={state.pkg.digest}>{shortDigest(state.pkg.digest)}</code>
          </p>
          <ul>
            {state.pkg.files.map((f) => (
              <li key={f.name}>
                {f.name} ({f.kind}, {f.sizeBytes} bytes)
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
