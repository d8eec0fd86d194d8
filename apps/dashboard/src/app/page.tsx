import { connection } from 'next/server';
import { SignedInLine } from '../components/signed-in-line';
import { env } from '../env';
import { kioskStationFrom } from '../lib/kiosk';

/**
 * Rendered per request so SERVER_URL is the running process's, not the build machine's. A kiosk's
 * address names its station (`/?station=station-1`), so an ended session returns to its badge field.
 */
export default async function LinePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const { station } = await searchParams;
  return <SignedInLine serverUrl={env.SERVER_URL} urlStation={kioskStationFrom(station)} />;
}
