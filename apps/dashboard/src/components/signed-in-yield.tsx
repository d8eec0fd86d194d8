'use client';

import { YIELD } from '../lib/navigation';
import { SignedInScreen } from './signed-in-screen';
import { YieldView } from './yield-view';

/** The supervisors' line page behind a session (supervisors, engineers, admins). */
export function SignedInYield({ serverUrl }: { serverUrl: string }) {
  return (
    <SignedInScreen
      serverUrl={serverUrl}
      screen={YIELD}
      notForRole={{
        title: 'The yield page is not for your role',
        whoMay: "Supervisors, engineers and admins watch the line's yield",
      }}
      mainStyle={{ padding: '8px 14px 14px' }}
    >
      {(onSignedOut) => <YieldView serverUrl={serverUrl} onSignedOut={onSignedOut} />}
    </SignedInScreen>
  );
}
