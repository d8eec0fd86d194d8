'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Attempt, SignInFailure } from '../lib/session-client';
import { parseBadgeScan } from '../lib/sign-in-input';
import styles from './sign-in.module.css';

/**
 * The kiosk's badge field: big, focused, and focused again after every answer, because the badge
 * scanner types (digits, then Enter) into whatever has the focus.
 */
export function BadgeForm({
  stationId,
  attempt,
  onInvalid,
}: {
  stationId: string;
  attempt: Attempt;
  onInvalid: (failure: SignInFailure) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);

  // Not only autoFocus: a server-rendered field is hydrated, and the scanner must find it focused.
  useEffect(() => input.current?.focus(), []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const field = input.current;
    if (!field || busy) return;
    const parsed = parseBadgeScan(field.value, stationId);
    field.value = '';
    if (!parsed.ok) {
      onInvalid({ reason: 'refused', message: parsed.message });
      return;
    }
    setBusy(true);
    const failure = await attempt(parsed.request);
    if (failure === null) return; // leaving for the line view
    setBusy(false);
    field.focus();
  };

  return (
    <form className={styles.badgeForm} onSubmit={(event) => void submit(event)}>
      <label className={styles.badgeLabel} htmlFor="badge">
        Scan your badge
      </label>
      <input
        id="badge"
        ref={input}
        className={styles.badgeInput}
        data-testid="badge-input"
        // Read-only, not disabled, while asking: a disabled field loses the scanner's focus.
        readOnly={busy}
        autoFocus
        autoComplete="off"
        inputMode="numeric"
        // A badge number is a credential: not echoed on a screen the whole line can see.
        type="password"
        placeholder="Badge"
      />
      <p className={styles.hint}>Operators: scan the badge, the scanner presses Enter.</p>
    </form>
  );
}
