/**
 * Next's edge compiler defines this global (a string); in Node it does not exist. It is the
 * runtime's own marker, not configuration, so no environment variable is read to tell them apart.
 */
declare const EdgeRuntime: string | undefined;

/** Runs once when `next start` boots: validates the environment before the first request. */
export async function register() {
  // The check ends the process on a bad value, which only Node can do; the edge build sees a
  // constant here and drops the import (and this app has no edge entry to run it anyway).
  if (typeof EdgeRuntime !== 'string') await import('./startup-check');
}
