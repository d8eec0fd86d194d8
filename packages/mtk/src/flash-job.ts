import { identifyModule, type ModuleIdentity } from './at/identify';
import { fallbackBauds } from './da/baud';
import { FlashError, isFlashError } from './errors/flash-error';
import type { FlashStage } from './errors/stages';
import { flashModule, type FlashOptions, type FlashResult } from './flash';
import type { Transport } from './transport';

export interface FlashJobOptions extends FlashOptions {
  /** Read IMEI/revision over AT before flashing (a module without firmware answering nothing is fine). */
  preflight?: boolean;
  /** Read IMEI/revision after the reset and require the package revision (and the same IMEI). */
  postflight?: boolean;
  /** `AT` probes (300 ms apart) before deciding a module has no firmware; it may still be booting. */
  preflightAttempts?: number;
  /** IMEI from the label scan, if any: the module must report it. */
  expectedImei?: string;
  /** On a failed baud switch, retry the whole flash at 460800 then 115200. */
  fallback?: boolean;
  /** Informs the caller of a retry at a lower baud, with the error that caused it. */
  onRetry?: (nextBaud: number, error: FlashError) => void;
}

export interface FlashJobResult {
  ok: boolean;
  imei: string | undefined;
  revisionBefore: string | undefined;
  revisionAfter: string | undefined;
  flash: FlashResult | undefined;
  error: FlashError | undefined;
  durationMs: number;
  stageTimings: Partial<Record<FlashStage, number>>;
}

/**
 * The whole station flow for one module: preflight AT → flash (with baud fallback) →
 * postflight AT checks. Never throws a FlashError: the outcome is data.
 */
export async function runFlashJob(
  transport: Transport,
  options: FlashJobOptions,
): Promise<FlashJobResult> {
  const started = Date.now();
  const stageTimings: Partial<Record<FlashStage, number>> = {};
  let before: ModuleIdentity | undefined;
  let after: ModuleIdentity | undefined;
  let flash: FlashResult | undefined;
  const timed = async <T>(stage: FlashStage, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await work();
    } finally {
      stageTimings[stage] = (stageTimings[stage] ?? 0) + Date.now() - t0;
    }
  };
  try {
    if (options.preflight) {
      await transport.setBaudRate(115200);
      before = await timed('preflight', () =>
        identifyModule(transport, {
          syncAttempts: options.preflightAttempts ?? 5,
          probeTimeoutMs: 300,
          signal: options.signal,
          stage: 'preflight',
        }),
      );
      if (before && options.expectedImei && before.imei !== options.expectedImei) {
        throw new FlashError(
          'IMEI_MISMATCH',
          `module IMEI ${before.imei}, label ${options.expectedImei}`,
          { stage: 'preflight' },
        );
      }
    }
    let baud = options.baud ?? 921600;
    for (;;) {
      try {
        flash = await flashModule(transport, { ...options, baud });
        break;
      } catch (error) {
        const next = fallbackBauds(baud)[0];
        if (
          !options.fallback ||
          !isFlashError(error) ||
          error.code !== 'BAUD_CHANGE_FAIL' ||
          next === undefined
        )
          throw error;
        options.onRetry?.(next, error);
        baud = next;
      }
    }
    for (const [stage, ms] of Object.entries(flash.stageTimings))
      stageTimings[stage as FlashStage] = ms;
    if (options.postflight) {
      after = await timed('postflight', () =>
        identifyModule(transport, {
          syncAttempts: 40,
          probeTimeoutMs: 250,
          signal: options.signal,
          stage: 'postflight',
        }),
      );
      if (!after)
        throw new FlashError('AT_NO_RESPONSE', 'the module does not answer AT after the reset', {
          stage: 'postflight',
        });
      if (after.revision !== options.package.revision) {
        throw new FlashError(
          'REVISION_MISMATCH',
          `module reports ${after.revision}, package is ${options.package.revision}`,
          { stage: 'postflight' },
        );
      }
      const expected = options.expectedImei ?? before?.imei;
      if (expected && after.imei !== expected) {
        throw new FlashError(
          'IMEI_MISMATCH',
          `module IMEI ${after.imei} after flashing, expected ${expected}`,
          { stage: 'postflight' },
        );
      }
    }
    return result(true, undefined);
  } catch (error) {
    const flashError = isFlashError(error)
      ? error
      : new FlashError(
          'PROTOCOL_EXCEPTION',
          error instanceof Error ? error.message : String(error),
          { cause: error },
        );
    for (const [stage, ms] of Object.entries(flashError.stageTimings))
      stageTimings[stage as FlashStage] = ms;
    return result(false, flashError);
  }

  function result(ok: boolean, error: FlashError | undefined): FlashJobResult {
    return {
      ok,
      imei: after?.imei ?? before?.imei,
      revisionBefore: before?.revision,
      revisionAfter: after?.revision,
      flash,
      error,
      durationMs: Date.now() - started,
      stageTimings,
    };
  }
}
