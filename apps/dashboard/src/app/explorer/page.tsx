import type { Metadata } from 'next';
import { connection } from 'next/server';
import { ExplorerPage } from '../../components/explorer-pages';
import { env } from '../../env';

export const metadata: Metadata = { title: 'Flash Station — Attempts' };

/** `/explorer`: the attempt explorer (issue #10 §5). Rendered per request (SERVER_URL). */
export default async function Explorer() {
  await connection();
  return <ExplorerPage serverUrl={env.SERVER_URL} />;
}
