'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, type CSSProperties, type ReactNode } from 'react';
import { kioskStationOf, lineViewPath, signInPath } from '../lib/kiosk';
import { mayOpen, ROLE_LABEL, type NavItem } from '../lib/navigation';
import { SESSION_RETRY_MS, useSessionLook } from '../lib/use-session-look';
import { Notice } from './notice';
import { SessionHeader } from './session-header';

const page: CSSProperties = { maxWidth: 1200, margin: '0 auto', padding: 32 };

/**
 * A screen of the menu behind a session: nobody signed in goes to sign-in; a role the menu does
 * not offer `screen` to is told so (the server refuses its calls anyway); the others get
 * `children`, with what to call when the server stops taking the session.
 */
export function SignedInScreen({
  serverUrl,
  screen,
  notForRole,
  mainStyle = page,
  children,
}: {
  serverUrl: string;
  screen: NavItem;
  /** The refusal's title and who the screen is for: "Engineers and admins manage firmware". */
  notForRole: { title: string; whoMay: string };
  /** The screen's own layout (the yield page uses the whole width); a centred column else. */
  mainStyle?: CSSProperties;
  children: (onSignedOut: () => void) => ReactNode;
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
      <main style={mayOpen(signedIn.role, screen.href) ? mainStyle : page}>
        {mayOpen(signedIn.role, screen.href) ? (
          children(toSignIn)
        ) : (
          <Notice tone="warning" testId="not-for-role" title={notForRole.title}>
            {notForRole.whoMay}; you are signed in as {ROLE_LABEL[signedIn.role]}.{' '}
            <a href={lineViewPath(kioskStation)}>Back to the line view</a>
          </Notice>
        )}
      </main>
    </>
  );
}
