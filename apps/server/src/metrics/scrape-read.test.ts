// sharedRead: callers during one read share it; a read that never answers ends at its deadline
// as a failure (the scrape goes on without that source); the next scrape reads again.
import { describe, expect, it } from 'vitest';
import { sharedRead } from './scrape-read';

describe('sharedRead', () => {
  it('gives callers during one read its one outcome, and reads again afterwards', async () => {
    let reads = 0;
    const read = sharedRead(
      async () => (reads += 1),
      60_000,
      () => undefined,
    );
    const [a, b] = await Promise.all([read(), read()]);
    expect(a).toEqual({ ok: true, value: 1 });
    expect(b).toBe(a);
    expect(await read()).toEqual({ ok: true, value: 2 });
  });

  it('fails a read that does not answer within its deadline, and reports why', async () => {
    const errors: unknown[] = [];
    const read = sharedRead(
      () => new Promise<never>(() => {}),
      20,
      (err) => errors.push(err),
    );
    const outcome = await read();
    expect(outcome.ok).toBe(false);
    expect(errors).toEqual([expect.objectContaining({ message: 'no answer within 20 ms' })]);
  });

  it('fails a read its source refuses', async () => {
    const read = sharedRead(
      () => Promise.reject(new Error('NOAUTH')),
      60_000,
      () => undefined,
    );
    expect(await read()).toEqual({ ok: false, error: new Error('NOAUTH') });
  });
});
