'use client';

import type { SessionUser } from '@station/contracts';
import { useState } from 'react';
import { lineViewPath } from '../lib/kiosk';
import { navItemsFor, ROLE_LABEL } from '../lib/navigation';
import { signOut } from '../lib/session-client';
import styles from './session-header.module.css';

/**
 * Who is signed in on this screen (and at which station, for an operator at a kiosk), the screens
 * their role may use, and sign-out.
 */
export function SessionHeader({
  serverUrl,
  user,
  kioskStation,
  onSignedOut,
}: {
  serverUrl: string;
  user: SessionUser;
  kioskStation: string | null;
  onSignedOut: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const leave = async () => {
    setBusy(true);
    setError(null);
    const failure = await signOut(serverUrl);
    setBusy(false);
    if (failure === null) onSignedOut();
    else setError(failure);
  };

  return (
    <header className={styles.bar} data-testid="session-header">
      <nav className={styles.nav} aria-label="Screens">
        {navItemsFor(user.role).map((item) => (
          <a
            key={item.href}
            className={styles.navItem}
            href={item.href === '/' ? lineViewPath(kioskStation) : item.href}
            data-testid="nav-item"
          >
            {item.label}
          </a>
        ))}
      </nav>
      <div className={styles.who}>
        <span className={styles.name} data-testid="signed-in-name">
          {user.displayName}
        </span>
        <span className={styles.role} data-testid="signed-in-role" data-role={user.role}>
          {ROLE_LABEL[user.role]}
        </span>
        {user.stationId !== null && (
          <span className={styles.station} data-testid="signed-in-station">
            at {user.stationId}
          </span>
        )}
        <button
          type="button"
          className={styles.signOut}
          data-testid="sign-out"
          disabled={busy}
          onClick={() => void leave()}
        >
          {busy ? 'Signing out…' : 'Sign out'}
        </button>
      </div>
      {error && (
        <p className={styles.error} role="alert" data-testid="sign-out-error">
          {error}
        </p>
      )}
    </header>
  );
}
