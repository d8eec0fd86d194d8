'use client';

import type { CSSProperties, ReactNode } from 'react';
import { lineViewPath } from '../lib/kiosk';
import { mayOpen, ROLE_LABEL, type NavItem } from '../lib/navigation';
import { SESSION_RETRY_MS } from '../lib/use-session-look';
import { useSignedIn } from '../lib/use-signed-in';
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
  const { look, kioskStation, toSignIn } = useSignedIn(serverUrl, null);

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
