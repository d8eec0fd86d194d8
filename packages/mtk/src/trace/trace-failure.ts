import type { FlashError } from '../errors/flash-error';
import { TransportError } from '../transport';
import type { TraceRecorder } from './trace-recorder';

/**
 * The error that ended a flash, traced against the command under way: `timeout` when the module
 * went silent, else the catalogue code, with the device's own status (a DA error) when it sent one.
 */
export function traceFailure(trace: TraceRecorder | undefined, error: FlashError): void {
  const timedOut = error.cause instanceof TransportError && error.cause.timeout;
  trace?.fail(error.stage, error.code, { timedOut, error: error.deviceStatus });
}
