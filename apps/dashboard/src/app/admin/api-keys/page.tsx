import type { Metadata } from 'next';
import { connection } from 'next/server';
import { ApiKeysAdminPage } from '../../../components/admin-pages';
import { env } from '../../../env';

export const metadata: Metadata = { title: 'Flash Station — API keys' };

/** `/admin/api-keys` (admins). Rendered per request for the running process's SERVER_URL. */
export default async function ApiKeysPage() {
  await connection();
  return <ApiKeysAdminPage serverUrl={env.SERVER_URL} />;
}
