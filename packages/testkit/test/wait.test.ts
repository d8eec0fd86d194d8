// The waiting helpers on real timers: they resolve as soon as the condition holds and fail at
// their deadline with a message that names what was awaited.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { waitFor, waitForEvent, WaitTimeoutError, withDeadline } from '../src/index';

describe('waitFor', () => {
  it('resolves with the first truthy value of the probe', async () => {
    let calls = 0;
    const value = await waitFor('the third call', () => (++calls === 3 ? { calls } : undefined), {
      intervalMs: 1,
    });
    expect(value).toEqual({ calls: 3 });
  });

  it('fails at its deadline naming what it waited for and the last error the probe threw', async () => {
    const started = Date.now();
    const error = await waitFor(
      'the server to answer',
      () => {
        throw new Error('ECONNREFUSED 127.0.0.1:1');
      },
      { timeoutMs: 200, intervalMs: 20 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toBe(
      'timed out after 200 ms waiting for the server to answer (last probe threw: Error: ECONNREFUSED 127.0.0.1:1)',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('withDeadline', () => {
  it('passes a promise through in time and rejects a late one', async () => {
    expect(await withDeadline('a quick answer', Promise.resolve(7), 100)).toBe(7);
    await expect(withDeadline('the exit', new Promise(() => {}), 50)).rejects.toThrow(
      'timed out after 50 ms waiting for the exit',
    );
  });
});

describe('waitForEvent', () => {
  it('takes the first accepted event, or nothing when the state is already reached', async () => {
    const module = new EventEmitter();
    const reached = waitForEvent<[string]>(module, 'state', { accept: (s) => s === 'at' });
    module.emit('state', 'brom');
    module.emit('state', 'at');
    expect(await reached).toEqual(['at']);
    expect(module.listenerCount('state')).toBe(0);
    expect(await waitForEvent(module, 'state', { ready: () => true })).toBeUndefined();
  });

  it('fails at its deadline and removes its listener', async () => {
    const module = new EventEmitter();
    await expect(
      waitForEvent(module, 'state', { what: 'slot 1 in state at', timeoutMs: 50 }),
    ).rejects.toThrow('timed out after 50 ms waiting for slot 1 in state at');
    expect(module.listenerCount('state')).toBe(0);
  });
});
