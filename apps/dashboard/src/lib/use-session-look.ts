'use client';

import { useEffect, useState } from 'react';
import { fetchSession, type SessionLook } from './session-client';

/** How often a screen that could not ask who is signed in asks again. */
export const SESSION_RETRY_MS = 5_000;

/**
 * Who is signed in on this browser, as the server says (null until it answered); asked again
 * every SESSION_RETRY_MS while the server cannot be reached or answers nonsense.
 */
export function useSessionLook(serverUrl: string): SessionLook | null {
  const [look, setLook] = useState<SessionLook | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let gone = false;
    const ask = async () => {
      const answer = await fetchSession(serverUrl);
      if (gone) return;
      setLook(answer);
      if (answer.kind === 'unreachable' || answer.kind === 'invalid') {
        timer = setTimeout(() => void ask(), SESSION_RETRY_MS);
      }
    };
    void ask();
    return () => {
      gone = true;
      clearTimeout(timer);
    };
  }, [serverUrl]);
  return look;
}
