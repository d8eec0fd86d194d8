'use client';

import type { SessionUser } from '@station/contracts';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { signInPath } from '../lib/kiosk';
import { ROLE_LABEL } from '../lib/navigation';
import { fetchSession, type SessionLook } from '../lib/session-client';
import styles from './admin.module.css';
import { Notice } from './notice';
import { SessionHeader } from './session-header';

/**
 * An admin page behind its session: nobody signed in goes to sign-in; a signed-in role other than
 * admin gets a clear "not for your role" (the server refuses its calls anyway, this only says so).
 * `children` renders the page for the admin, with what to call when the server stops taking the
 * session.
 */
export function AdminShell({
  serverUrl,
  title,
  children,
}: {
  serverUrl: string;
  title: string;
  children: (user: SessionUser, signedOut: () => void) => ReactNode;
}) {
  const router = useRouter();
  const [look, setLook] = useState<SessionLook | null>(null);
  const toSignIn = useCallback(() => router.replace(signInPath(null)), [router]);

  useEffect(() => {
    let gone = false;
    void fetchSession(serverUrl).then((answer) => {
      if (!gone) setLook(answer);
    });
    return () => {
      gone = true;
    };
  }, [serverUrl]);

  useEffect(() => {
    if (look?.kind === 'signed-out') toSignIn();
  }, [look, toSignIn]);

  if (look === null || look.kind === 'signed-out') {
    return (
      <main className={styles.main} data-testid="session-checking">
        Checking who is signed in…
      </main>
    );
  }
  if (look.kind !== 'signed-in') {
    return (
      <main className={styles.main}>
        <Notice tone="error" testId="session-invalid" title={look.message}>
          Reload the page to try again.
        </Notice>
      </main>
    );
  }
  const { user } = look.session;
  return (
    <>
      <SessionHeader serverUrl={serverUrl} user={user} kioskStation={null} onSignedOut={toSignIn} />
      <main className={styles.main}>
        <h1 className={styles.title}>{title}</h1>
        {user.role === 'admin' ? (
          children(user, toSignIn)
        ) : (
          <Notice tone="warning" testId="not-for-role" title="Not for your role">
            {title} is for admins; you are signed in as {ROLE_LABEL[user.role].toLowerCase()}. Ask
            an admin if you need a change here.
          </Notice>
        )}
      </main>
    </>
  );
}
