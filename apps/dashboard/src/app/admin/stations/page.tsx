import type { Metadata } from 'next';
import { connection } from 'next/server';
import { StationsAdminPage } from '../../../components/admin-pages';
import { env } from '../../../env';

export const metadata: Metadata = { title: 'Flash Station — Stations' };

/** `/admin/stations` (admins). Rendered per request for the running process's SERVER_URL. */
export default async function StationsPage() {
  await connection();
  return <StationsAdminPage serverUrl={env.SERVER_URL} />;
}
