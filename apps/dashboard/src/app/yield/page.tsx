import type { Metadata } from 'next';
import { connection } from 'next/server';
import { SignedInYield } from '../../components/signed-in-yield';
import { env } from '../../env';

export const metadata: Metadata = { title: 'Flash Station — Yield' };

/** `/yield`: the supervisors' line page. Rendered per request (SERVER_URL). */
export default async function YieldPage() {
  await connection();
  return <SignedInYield serverUrl={env.SERVER_URL} />;
}
