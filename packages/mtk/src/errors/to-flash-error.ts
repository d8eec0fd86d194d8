import { TransportError } from '../transport';
import type { FlashErrorCode } from './catalogue';
import { FlashError } from './flash-error';
import type { FlashStage } from './stages';

export interface FailureContext {
  stage: FlashStage;
  /** What was under way, for the message: "SEND_DA 0x10020000 checksum", "write of 1024 bytes". */
  what: string;
  /** The code when the operation ran out of time. */
  onTimeout: FlashErrorCode;
  /** The code for any other failure that is not the port's (default: `onTimeout`). */
  otherwise?: FlashErrorCode;
  /** The message for a timeout (default: "<what> did not finish in time"). */
  timeoutMessage?: string;
  /** Once this is aborted, whatever failed is reported as CANCELED. */
  signal?: AbortSignal | undefined;
}

/**
 * The one place an unknown failure becomes a FlashError (the Link's sends and reads, AT identify,
 * the job's last resort). A FlashError passes through unchanged; a cancel wins over the symptom
 * it caused; the port's own failures keep their meaning whatever was under way.
 */
export function toFlashError(error: unknown, context: FailureContext): FlashError {
  if (error instanceof FlashError) return error;
  const { stage, what } = context;
  const cause = error;
  if (context.signal?.aborted) {
    return new FlashError('CANCELED', `flash canceled during ${what}`, {
      stage,
      cause: context.signal.reason,
    });
  }
  if (error instanceof TransportError) {
    if (error.disconnected)
      return new FlashError('PORT_DISCONNECTED', `serial port disconnected during ${what}`, {
        stage,
        cause,
      });
    if (error.canceled)
      return new FlashError('CANCELED', `port closed during ${what}`, { stage, cause });
    if (error.timeout) {
      const message = context.timeoutMessage ?? `${what} did not finish in time`;
      return new FlashError(context.onTimeout, message, { stage, cause });
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return new FlashError(context.otherwise ?? context.onTimeout, `${what} failed: ${message}`, {
    stage,
    cause,
  });
}
