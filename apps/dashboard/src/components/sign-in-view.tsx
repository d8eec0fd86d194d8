'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { lineViewPath } from '../lib/kiosk';
import { signIn, type Attempt, type SignInFailure } from '../lib/session-client';
import { BadgeForm } from './badge-form';
import { Notice } from './notice';
import { PasswordForm } from './password-form';
import styles from './sign-in.module.css';
import { StationPicker } from './station-picker';

const FAILURE_TITLE: Record<SignInFailure['reason'], string> = {
  'bad-credentials': 'Not signed in',
  'unknown-station': 'Unknown station',
  'rate-limited': 'Too many attempts',
  unreachable: 'Server not reachable',
  refused: 'Not signed in',
};

/**
 * The sign-in page. At a kiosk (its station in the address) the badge field fills the screen and
 * a password is one click away; elsewhere the password form, with the stations' kiosks to pick.
 */
export function SignInView({
  serverUrl,
  station,
  badStation,
}: {
  serverUrl: string;
  station: string | null;
  badStation: string | null;
}) {
  const router = useRouter();
  const [failure, setFailure] = useState<SignInFailure | null>(null);
  const [withPassword, setWithPassword] = useState(station === null);

  const attempt: Attempt = async (request) => {
    setFailure(null);
    const result = await signIn(serverUrl, request);
    if (result.ok) {
      router.replace(lineViewPath(station));
      return null;
    }
    setFailure(result.failure);
    return result.failure;
  };

  return (
    <main className={styles.main}>
      <h1 className={styles.title}>
        Flash Station · Sign in{station !== null && <> at {station}</>}
      </h1>
      {badStation !== null && (
        <Notice tone="error" testId="bad-station" title={`"${badStation}" is not a station id`}>
          Pick this screen&apos;s station below.
        </Notice>
      )}
      {failure && (
        <Notice tone="error" testId="sign-in-error" title={FAILURE_TITLE[failure.reason]}>
          <span data-testid="sign-in-error-message" data-reason={failure.reason}>
            {failure.message}
          </span>
        </Notice>
      )}
      {station !== null && !withPassword && (
        <>
          <BadgeForm stationId={station} attempt={attempt} onInvalid={setFailure} />
          <button
            type="button"
            className={styles.switch}
            data-testid="use-password"
            onClick={() => {
              setFailure(null);
              setWithPassword(true);
            }}
          >
            Not an operator? Sign in with a password
          </button>
        </>
      )}
      {withPassword && (
        <>
          <PasswordForm attempt={attempt} onInvalid={setFailure} />
          {station !== null ? (
            <button
              type="button"
              className={styles.switch}
              data-testid="use-badge"
              onClick={() => {
                setFailure(null);
                setWithPassword(false);
              }}
            >
              Operator? Scan your badge
            </button>
          ) : (
            <StationPicker serverUrl={serverUrl} />
          )}
        </>
      )}
    </main>
  );
}
