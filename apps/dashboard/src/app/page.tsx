import { connection } from 'next/server';
import { LineView } from '../components/line-view';
import { env } from '../env';

/** Rendered per request so SERVER_URL is the running process's, not the build machine's. */
export default async function LinePage() {
  await connection();
  return <LineView serverUrl={env.SERVER_URL} />;
}
