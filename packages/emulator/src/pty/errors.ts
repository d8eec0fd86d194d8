// A slot's adapter (its pseudo-terminal and relay) could not be made or failed.
export class PtyError extends Error {
  override name = 'PtyError';
}
