/** Runs once when `next start` boots: a bad SERVER_URL or DASHBOARD_PORT stops it at once. */
export async function register() {
  await import('./env');
}
