import type { Metadata } from 'next';
import { connection } from 'next/server';
import { ModuleHistoryPage } from '../../../../components/explorer-pages';
import { env } from '../../../../env';

export const metadata: Metadata = { title: 'Flash Station — Module history' };

/** `/explorer/modules/<imei>`: a module's attempts as a timeline, retry chains grouped. */
export default async function ModuleHistory({ params }: { params: Promise<{ imei: string }> }) {
  await connection();
  const { imei } = await params;
  return <ModuleHistoryPage serverUrl={env.SERVER_URL} imei={imei} />;
}
