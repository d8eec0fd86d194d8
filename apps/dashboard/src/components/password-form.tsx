'use client';

import { useState, type FormEvent } from 'react';
import type { Attempt, SignInFailure } from '../lib/session-client';
import { parsePasswordForm } from '../lib/sign-in-input';
import styles from './sign-in.module.css';

/** User name and password: supervisors, engineers and admins (an operator too, away from a kiosk). */
export function PasswordForm({
  attempt,
  onInvalid,
}: {
  attempt: Attempt;
  onInvalid: (failure: SignInFailure) => void;
}) {
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const form = new FormData(event.currentTarget);
    const parsed = parsePasswordForm(
      String(form.get('username') ?? ''),
      String(form.get('password') ?? ''),
    );
    if (!parsed.ok) {
      onInvalid({ reason: 'refused', message: parsed.message });
      return;
    }
    setBusy(true);
    const failure = await attempt(parsed.request);
    if (failure !== null) setBusy(false);
  };

  return (
    <form className={styles.passwordForm} onSubmit={(event) => void submit(event)}>
      <label className={styles.field}>
        User name
        <input
          name="username"
          data-testid="username"
          autoComplete="username"
          autoFocus
          className={styles.input}
        />
      </label>
      <label className={styles.field}>
        Password
        <input
          name="password"
          type="password"
          data-testid="password"
          autoComplete="current-password"
          className={styles.input}
        />
      </label>
      <button type="submit" className={styles.submit} data-testid="sign-in-submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
