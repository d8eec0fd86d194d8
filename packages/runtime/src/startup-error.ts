/**
 * A startup failure the user can fix (a bad variable, a missing service, a busy port): the entry
 * point prints its message alone on stderr and exits 1, instead of a stack trace.
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}
