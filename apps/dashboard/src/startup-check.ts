/**
 * Imported once at server start (instrumentation.ts). A bad SERVER_URL or DASHBOARD_PORT ends the
 * process with one sentence, instead of a server that answers every request with a 500.
 */
try {
  await import('./env');
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
