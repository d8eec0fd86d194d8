'use client';

import { AdminShell } from './admin-shell';
import { ApiKeysAdmin } from './api-keys-admin';
import { PeopleAdmin } from './people-admin';
import { StationsAdmin } from './stations-admin';

// The admin pages as client components: a server page cannot hand AdminShell its render function.

export const PeopleAdminPage = ({ serverUrl }: { serverUrl: string }) => (
  <AdminShell serverUrl={serverUrl} title="People">
    {(me, signedOut) => <PeopleAdmin serverUrl={serverUrl} me={me} signedOut={signedOut} />}
  </AdminShell>
);

export const ApiKeysAdminPage = ({ serverUrl }: { serverUrl: string }) => (
  <AdminShell serverUrl={serverUrl} title="API keys">
    {(_me, signedOut) => <ApiKeysAdmin serverUrl={serverUrl} signedOut={signedOut} />}
  </AdminShell>
);

export const StationsAdminPage = ({ serverUrl }: { serverUrl: string }) => (
  <AdminShell serverUrl={serverUrl} title="Stations">
    {(_me, signedOut) => <StationsAdmin serverUrl={serverUrl} signedOut={signedOut} />}
  </AdminShell>
);
