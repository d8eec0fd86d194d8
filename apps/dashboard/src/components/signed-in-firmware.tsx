'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect } from 'react';
import { kioskStationOf, lineViewPath, signInPath } from '../lib/kiosk';
import { FIRMWARE, mayOpen, ROLE_LABEL } from '../lib/navigation';
import { SESSION_RETRY_MS, useSessionLook } from '../lib/use-session-look';
import { FirmwareView } from './firmware-view';
import { Notice } from './notice';
import { SessionHeader } from './session-header';

const page = { maxWidth: 1200, margin: '0 auto', padding: 32 } as const;

/**
 * The firmware page behind a session: engineers and admins get the registry; anyone else who
 * opens the address is told it is not for their role (the server refuses them anyway).
 */
export function SignedInFirmware({ serverUrl }: { serverUrl: string }) {
  const router = useRouter();
  const look = useSessionLook(serverUrl);
  const user = look?.kind === 'signed-in' ? look.session.user : null;
  const kioskStation = kioskStationOf(null, user);
  const toSignIn = useCallback(
    () => router.replace(signInPath(kioskStation)),
    [router, kioskStation],
  );

  useEffect(() => {
    if (look?.kind === 'signed-out') toSignIn();
  }, [look, toSignIn]);

  if (look === null || look.kind === 'signed-out') {
    return (
      <main style={page} data-testid="session-checking">
        Checking who is signed in…
      </main>
    );
  }
  if (look.kind === 'unreachable' || look.kind === 'invalid') {
    return (
      <main style={page}>
        <Notice tone="error" testId="server-unreachable" title={look.message}>
          The dashboard asks again every {SESSION_RETRY_MS / 1000} s.
        </Notice>
      </main>
    );
  }
  const { user: signedIn } = look.session;
  return (
    <>
      <SessionHeader
        serverUrl={serverUrl}
        user={signedIn}
        kioskStation={kioskStation}
        onSignedOut={toSignIn}
      />
      <main style={page}>
        {mayOpen(signedIn.role, FIRMWARE.href) ? (
          <FirmwareView serverUrl={serverUrl} onSignedOut={toSignIn} />
        ) : (
          <Notice
            tone="warning"
            testId="not-for-role"
            title="The firmware page is not for your role"
          >
            Engineers and admins manage firmware; you are signed in as {ROLE_LABEL[signedIn.role]}.{' '}
            <a href={lineViewPath(kioskStation)}>Back to the line view</a>
          </Notice>
        )}
      </main>
    </>
  );
}
