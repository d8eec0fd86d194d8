import type { Metadata } from 'next';
import { connection } from 'next/server';
import { SignInView } from '../../components/sign-in-view';
import { env } from '../../env';
import { kioskStationFrom } from '../../lib/kiosk';

export const metadata: Metadata = { title: 'Flash Station — Sign in' };

/**
 * `/sign-in`: user name and password, or a kiosk's badge field when the address names its station
 * (`/sign-in?station=station-1`). Rendered per request for the running process's SERVER_URL.
 */
export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const { station } = await searchParams;
  const raw = Array.isArray(station) ? station[0] : station;
  const kioskStation = kioskStationFrom(station);
  return (
    <SignInView
      serverUrl={env.SERVER_URL}
      station={kioskStation}
      badStation={raw !== undefined && kioskStation === null ? raw : null}
    />
  );
}
