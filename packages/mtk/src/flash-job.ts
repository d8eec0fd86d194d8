import { identifyModule, type ModuleIdentity } from './at/identify';
import { fallbackBauds } from './da/baud';
import { FlashError, isFlashError } from './errors/flash-error';
import { toFlashError } from './errors/to-flash-error';
import { announceStage, runFlash, type FlashOptions, type FlashResult } from './flash';
import { Link } from './link';
import { StageClock, type StageTimings } from './stage-clock';
import { traceFailure } from './trace/trace-failure';
import type { Transport } from './transport';

export interface FlashJobOptions extends FlashOptions {
  /** Read IMEI/revision over AT before flashing (a module without firmware answering nothing is fine). */
  preflight?: boolean;
  /** Read IMEI/revision after the reset and require the package revision (and the same IMEI). */
  postflight?: boolean;
  /** How long the preflight probes `AT` before deciding a module has no firmware (default 1500 ms). */
  preflightWaitMs?: number;
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
  /** Milliseconds per stage over the whole job (AT checks and every fallback attempt). */
  stageTimings: StageTimings;
}

/**
 * The whole station flow for one module: preflight AT → flash (with baud fallback) →
 * postflight AT checks, timed on one stage clock. Never throws: the outcome is data.
 */
export async function runFlashJob(
  transport: Transport,
  options: FlashJobOptions,
): Promise<FlashJobResult> {
  const started = Date.now();
  const clock = new StageClock(
    options.preflight ? 'preflight' : 'power',
    announceStage(options.onProgress),
  );
  let before: ModuleIdentity | undefined;
  let after: ModuleIdentity | undefined;
  let flash: FlashResult | undefined;
  let error: FlashError | undefined;
  try {
    if (options.preflight) {
      await new Link(transport, clock, options.signal).setBaud(115200);
      before = await identifyModule(transport, {
        aliveWithinMs: options.preflightWaitMs ?? 1500,
        signal: options.signal,
        stage: 'preflight',
        trace: options.trace,
      });
      if (before && options.expectedImei && before.imei !== options.expectedImei) {
        throw new FlashError(
          'IMEI_MISMATCH',
          `module IMEI ${before.imei}, label ${options.expectedImei}`,
          { stage: 'preflight' },
        );
      }
    }
    flash = await flashWithFallback(transport, options, clock);
    if (options.postflight) {
      clock.enter('postflight');
      after = await identifyModule(transport, {
        // Through the watchdog reset, the boot ROM window and the boot (docs/protocol.md "AT").
        aliveWithinMs: 10_000,
        signal: options.signal,
        stage: 'postflight',
        trace: options.trace,
      });
      checkPostflight(after, before, options);
    }
  } catch (failure) {
    error = toFlashError(failure, {
      stage: clock.stage,
      what: `${clock.stage} stage`,
      onTimeout: 'PROTOCOL_EXCEPTION',
      signal: options.signal,
    });
    traceFailure(options.trace, error);
  }
  clock.stop();
  const stageTimings = clock.timings();
  if (error) error.stageTimings = stageTimings;
  return {
    ok: error === undefined,
    imei: after?.imei ?? before?.imei,
    revisionBefore: before?.revision,
    revisionAfter: after?.revision,
    flash,
    error,
    durationMs: Date.now() - started,
    stageTimings,
  };
}

/** The flash at the asked baud, then at each lower one while the line cannot carry the speed. */
async function flashWithFallback(
  transport: Transport,
  options: FlashJobOptions,
  clock: StageClock,
): Promise<FlashResult> {
  let baud = options.baud ?? 921600;
  for (;;) {
    try {
      return await runFlash(transport, { ...options, baud }, clock);
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
      options.trace?.note(clock.stage, 'FALLBACK', { baud: next });
      baud = next;
    }
  }
}

/** After the reset the module must answer AT, run the package's revision and keep its IMEI. */
function checkPostflight(
  after: ModuleIdentity | undefined,
  before: ModuleIdentity | undefined,
  options: FlashJobOptions,
): asserts after is ModuleIdentity {
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
