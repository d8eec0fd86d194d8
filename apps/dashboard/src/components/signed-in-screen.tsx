'use client';

import type { SessionUser } from '@station/contracts';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, type CSSProperties, type ReactNode } from 'react';
import { kioskStationOf, lineViewPath, signInPath } from '../lib/kiosk';
import { mayOpen, ROLE_LABEL, type NavItem } from '../lib/navigation';
import { SESSION_RETRY_MS, useSessionLook } from '../lib/use-session-look';
import { Notice } from './notice';
import { SessionHeader } from './session-header';

const page: CSSProperties = { maxWidth: 1200, margin: '0 auto', padding: 32 };

/**
 * A screen behind a session: the session bar, then the screen for the roles that may open it
 * (navigation.ts); anyone else who opens its address is told it is not for their role (the server
 * refuses them anyway). Signed out: to the sign-in page.
 */
export function SignedInScreen({
  serverUrl,
  screen,
  whoMay,
  mainStyle = page,
  children,
}: {
  serverUrl: string;
  screen: NavItem;
  /** Who may, for the refusal: "Engineers and admins manage firmware". */
  whoMay: string;
  mainStyle?: CSSProperties;
  children: (props: { user: SessionUser; onSignedOut: () => void }) => ReactNode;
}) {
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
      {mayOpen(signedIn.role, screen.href) ? (
        <main style={mainStyle}>{children({ user: signedIn, onSignedOut: toSignIn })}</main>
      ) : (
        <main style={page}>
          <Notice
            tone="warning"
            testId="not-for-role"
            title={`The ${screen.label.toLowerCase()} page is not for your role`}
          >
            {whoMay}; you are signed in as {ROLE_LABEL[signedIn.role]}.{' '}
            <a href={lineViewPath(kioskStation)}>Back to the line view</a>
          </Notice>
        </main>
      )}
    </>
  );
}
