'use client';

import { FIRMWARE } from '../lib/navigation';
import { FirmwareView } from './firmware-view';
import { SignedInScreen } from './signed-in-screen';

/**
 * The firmware page behind a session: engineers and admins get the registry; anyone else who
 * opens the address is told it is not for their role (the server refuses them anyway).
 */
export function SignedInFirmware({ serverUrl }: { serverUrl: string }) {
  return (
    <SignedInScreen
      serverUrl={serverUrl}
      screen={FIRMWARE}
      notForRole={{
        title: 'The firmware page is not for your role',
        whoMay: 'Engineers and admins manage firmware',
      }}
    >
      {(onSignedOut) => <FirmwareView serverUrl={serverUrl} onSignedOut={onSignedOut} />}
    </SignedInScreen>
  );
}
