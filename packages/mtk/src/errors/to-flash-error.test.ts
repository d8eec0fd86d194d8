import { describe, expect, it } from 'vitest';
import { TransportError } from '../transport';
import { FlashError } from './flash-error';
import { toFlashError, type FailureContext } from './to-flash-error';

const context: FailureContext = {
  stage: 'write',
  what: 'WRITE packet answer',
  onTimeout: 'DOWNLOAD_FAIL',
  timeoutMessage: 'no answer to WRITE packet answer within 10 ms',
};

describe('toFlashError', () => {
  it('keeps a FlashError as it is', () => {
    const original = new FlashError('READBACK_FAIL', 'differs', { stage: 'readback' });
    expect(toFlashError(original, context)).toBe(original);
  });

  it('gives the port failures their own codes whatever was under way', () => {
    expect(toFlashError(new TransportError('gone', { disconnected: true }), context)).toMatchObject(
      { code: 'PORT_DISCONNECTED', stage: 'write' },
    );
    expect(toFlashError(new TransportError('closed', { canceled: true }), context)).toMatchObject({
      code: 'CANCELED',
      message: 'port closed during WRITE packet answer',
    });
  });

  it('names a timeout with the operation’s code and message', () => {
    expect(toFlashError(new TransportError('t', { timeout: true }), context)).toMatchObject({
      code: 'DOWNLOAD_FAIL',
      stage: 'write',
      message: 'no answer to WRITE packet answer within 10 ms',
    });
  });

  it('reports anything once the signal is aborted as CANCELED', () => {
    const controller = new AbortController();
    controller.abort(new Error('SIGTERM'));
    const error = toFlashError(new TransportError('t', { timeout: true }), {
      ...context,
      signal: controller.signal,
    });
    expect(error).toMatchObject({ code: 'CANCELED', stage: 'write' });
    expect(error.cause).toBe(controller.signal.reason);
  });

  it('maps any other failure to `otherwise`, or the timeout code', () => {
    expect(toFlashError(new RangeError('bad baud'), context)).toMatchObject({
      code: 'DOWNLOAD_FAIL',
      message: 'WRITE packet answer failed: bad baud',
    });
    expect(toFlashError('text', { ...context, otherwise: 'PROTOCOL_EXCEPTION' })).toMatchObject({
      code: 'PROTOCOL_EXCEPTION',
      message: 'WRITE packet answer failed: text',
    });
  });
});
