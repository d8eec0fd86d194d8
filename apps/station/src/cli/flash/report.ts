import type { FlashError, FlashJobResult } from '@station/mtk';

/** The one JSON object `flash --json` prints. */
export function flashJson(result: FlashJobResult): Record<string, unknown> {
  return {
    ok: result.ok,
    imei: result.imei ?? null,
    revisionBefore: result.revisionBefore ?? null,
    revisionAfter: result.revisionAfter ?? null,
    errorCode: result.error?.mtkCode ?? null,
    errorName: result.error?.errorName ?? null,
    stage: result.error?.stage ?? null,
    message: result.error?.message ?? null,
    hint: result.error?.operatorHint ?? null,
    engineerHint: result.error?.engineerHint ?? null,
    bytes: result.flash?.bytes ?? 0,
    baud: result.flash?.baud ?? null,
    flashId: result.flash?.flashId ?? null,
    chip: result.flash?.chip.name ?? null,
    mode: result.flash?.plan.mode ?? null,
    bootLoaders: result.flash?.plan.bootLoaders ?? [],
    durationMs: result.durationMs,
    stageTimings: result.stageTimings,
  };
}

/** Prints a failure for a person or, with --json, as one object for scripts; sets exit code 1. */
export function printFailure(error: FlashError, json: boolean | undefined): void {
  process.stdout.write(
    json
      ? `${JSON.stringify({ ok: false, error: error.toJSON() })}\n`
      : `${describeFailure(error)}\n`,
  );
  process.exitCode = 1;
}

export function describeFailure(error: FlashError): string {
  return [
    `FAIL, ${error.label}`,
    `  stage:    ${error.stage}`,
    `  detail:   ${error.message}`,
    `  operator: ${error.operatorHint}`,
    `  engineer: ${error.engineerHint}`,
  ].join('\n');
}
