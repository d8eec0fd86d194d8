import { describe, expect, it } from 'vitest';
import { withDeadline } from './deadline';

const never = (): Promise<never> => new Promise(() => undefined);

describe('withDeadline', () => {
  it('passes the value or the failure of work that settles in time', async () => {
    await expect(withDeadline(Promise.resolve(7), 100, undefined, 'x')).resolves.toBe(7);
    await expect(
      withDeadline(Promise.reject(new Error('boom')), 100, undefined, 'x'),
    ).rejects.toThrow('boom');
  });

  it('rejects as a timeout when the work outlives its deadline', async () => {
    const started = performance.now();
    await expect(withDeadline(never(), 50, undefined, 'drain')).rejects.toMatchObject({
      timeout: true,
      message: 'drain did not finish within 50 ms',
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('rejects as canceled at once on abort, or when already aborted', async () => {
    const controller = new AbortController();
    const pending = withDeadline(never(), 60_000, controller.signal, 'write');
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toMatchObject({ canceled: true, timeout: false });
    await expect(
      withDeadline(Promise.reject(new Error('late')), 60_000, controller.signal, 'write'),
    ).rejects.toMatchObject({ canceled: true });
  });
});
