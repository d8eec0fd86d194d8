import type { Metadata } from 'next';
import { connection } from 'next/server';
import { AttemptPage } from '../../../../components/explorer-pages';
import { env } from '../../../../env';

export const metadata: Metadata = { title: 'Flash Station — Attempt' };

/** `/explorer/attempts/<id>`: one attempt, its timings, retry chain and protocol trace. */
export default async function Attempt({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const { id } = await params;
  return <AttemptPage serverUrl={env.SERVER_URL} id={id} />;
}
