'use client';

import { SESSION_RETRY_MS } from '../lib/use-session-look';
import { useSignedIn } from '../lib/use-signed-in';
import { LineView } from './line-view';
import { Notice } from './notice';
import { SessionHeader } from './session-header';

/**
 * The line view behind a session (useSignedIn): asks the server who is signed in on this browser, and sends a
 * browser nobody is signed in on (or whose session the server stops accepting) to the sign-in
 * page, keeping its kiosk's station.
 */
export function SignedInLine({
  serverUrl,
  urlStation,
}: {
  serverUrl: string;
  urlStation: string | null;
}) {
  const { look, kioskStation, toSignIn } = useSignedIn(serverUrl, urlStation);

  const retry = `The dashboard asks again every ${SESSION_RETRY_MS / 1000} s.`;
  if (look === null || look.kind === 'signed-out') {
    return (
      <main style={{ padding: 32 }} data-testid="session-checking">
        Checking who is signed in…
      </main>
    );
  }
  if (look.kind === 'unreachable' || look.kind === 'invalid') {
    return (
      <main style={{ maxWidth: 1200, margin: '0 auto', padding: 32 }}>
        <Notice
          tone="error"
          testId={look.kind === 'unreachable' ? 'server-unreachable' : 'session-invalid'}
          title={look.message}
        >
          {look.kind === 'unreachable' ? (
            <>
              Start it with <code>npm start</code>. If it is running, check SERVER_URL here and
              DASHBOARD_ORIGIN on the server: it must list <code>{window.location.origin}</code>
              .{' '}
            </>
          ) : null}
          {retry}
        </Notice>
      </main>
    );
  }
  return (
    <>
      <SessionHeader
        serverUrl={serverUrl}
        user={look.session.user}
        kioskStation={kioskStation}
        onSignedOut={toSignIn}
      />
      <LineView serverUrl={serverUrl} user={look.session.user} onUnauthenticated={toSignIn} />
    </>
  );
}
