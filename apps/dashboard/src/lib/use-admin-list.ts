import { useCallback, useEffect, useState } from 'react';
import type { AdminResult } from './admin-client';

/**
 * One admin list: loaded at once, reloaded after each change. A refused session sends the screen
 * to sign-in; any other failure is kept as the sentence to show.
 */
export function useAdminList<T>(load: () => Promise<AdminResult<T>>, signedOut: () => void) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    const result = await load();
    if (result.ok) {
      setValue(result.value);
      setError(null);
      return;
    }
    if (result.signedOut) signedOut();
    setError(result.message);
  }, [load, signedOut]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { value, error, reload };
}

/** What a change came to, for the line under the form: done (and the list reloaded) or why not. */
export type Outcome = { ok: true; message: string } | { ok: false; message: string };

/** Applies a change's result: reloads on success, sends a refused session to sign-in. */
export async function settle(
  result: AdminResult<unknown>,
  success: string,
  reload: () => Promise<void>,
  signedOut: () => void,
): Promise<Outcome> {
  if (result.ok) {
    await reload();
    return { ok: true, message: success };
  }
  if (result.signedOut) signedOut();
  return { ok: false, message: result.message };
}
