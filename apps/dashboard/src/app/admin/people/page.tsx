import type { Metadata } from 'next';
import { connection } from 'next/server';
import { PeopleAdminPage } from '../../../components/admin-pages';
import { env } from '../../../env';

export const metadata: Metadata = { title: 'Flash Station — People' };

/** `/admin/people` (admins). Rendered per request for the running process's SERVER_URL. */
export default async function PeoplePage() {
  await connection();
  return <PeopleAdminPage serverUrl={env.SERVER_URL} />;
}
