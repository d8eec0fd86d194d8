'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect } from 'react';
import { kioskStationOf, signInPath } from './kiosk';
import { useSessionLook } from './use-session-look';

/**
 * Who is signed in on this browser, for a screen behind a session: a browser nobody is signed in
 * on (or whose session the server stops accepting) goes to the sign-in page, keeping its kiosk's
 * station. `toSignIn` is what to call when the server refuses the session later.
 */
export function useSignedIn(serverUrl: string, urlStation: string | null) {
  const router = useRouter();
  const look = useSessionLook(serverUrl);
  const user = look?.kind === 'signed-in' ? look.session.user : null;
  const kioskStation = kioskStationOf(urlStation, user);
  const toSignIn = useCallback(
    () => router.replace(signInPath(kioskStation)),
    [router, kioskStation],
  );

  useEffect(() => {
    if (look?.kind === 'signed-out') toSignIn();
  }, [look, toSignIn]);

  return { look, kioskStation, toSignIn };
}
