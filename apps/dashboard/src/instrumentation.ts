/** Runs once when `next start` boots: validates the environment before the first request. */
export async function register() {
  // NEXT_RUNTIME is not configuration: Next replaces it at build time, dropping the Node-only
  // check from the edge bundle.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('./startup-check');
}
