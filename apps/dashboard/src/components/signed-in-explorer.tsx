'use client';

import type { ReactNode } from 'react';
import { Suspense } from 'react';
import { EXPLORER } from '../lib/navigation';
import { SignedInScreen } from './signed-in-screen';

/**
 * Every explorer screen behind a session: supervisors, engineers and admins get it; an operator
 * who opens the address is told it is not for their role (the server refuses them anyway).
 * `children` gets what to call when the server stops taking the session.
 */
export function SignedInExplorer({
  serverUrl,
  children,
}: {
  serverUrl: string;
  children: (onSignedOut: () => void) => ReactNode;
}) {
  return (
    <SignedInScreen
      serverUrl={serverUrl}
      screen={EXPLORER}
      notForRole={{
        title: 'The attempt explorer is not for your role',
        whoMay: 'Supervisors, engineers and admins look up flash attempts',
      }}
    >
      {(onSignedOut) => <Suspense>{children(onSignedOut)}</Suspense>}
    </SignedInScreen>
  );
}
