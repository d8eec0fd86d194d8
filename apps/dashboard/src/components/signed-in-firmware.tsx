'use client';

import { FIRMWARE } from '../lib/navigation';
import { FirmwareView } from './firmware-view';
import { SignedInScreen } from './signed-in-screen';

/** The firmware page behind a session: engineers and admins get the registry. */
export function SignedInFirmware({ serverUrl }: { serverUrl: string }) {
  return (
    <SignedInScreen
      serverUrl={serverUrl}
      screen={FIRMWARE}
      whoMay="Engineers and admins manage firmware"
    >
      {({ onSignedOut }) => <FirmwareView serverUrl={serverUrl} onSignedOut={onSignedOut} />}
    </SignedInScreen>
  );
}
