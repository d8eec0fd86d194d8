import { FLASH_ERRORS, type FlashErrorCode } from './catalogue';
import type { FlashStage } from './stages';

export interface FlashErrorOptions {
  stage?: FlashStage;
  /** Status code reported by the device itself (e.g. DA error 3064), when there is one. */
  deviceStatus?: number;
  cause?: unknown;
  /** Replaces the catalogue's engineer hint when the cause is known precisely (a missing file). */
  engineerHint?: string;
}

/** A failure of a flash, as data: catalogue entry + actual stage + specific message. */
export class FlashError extends Error {
  readonly code: FlashErrorCode;
  readonly mtkCode: number;
  readonly errorName: string;
  readonly stage: FlashStage;
  readonly retryable: boolean;
  readonly operatorHint: string;
  readonly engineerHint: string;
  readonly deviceStatus: number | undefined;
  /** Milliseconds spent in each stage up to and including the failing one (set by flashModule). */
  stageTimings: Partial<Record<FlashStage, number>> = {};

  constructor(code: FlashErrorCode, message: string, options: FlashErrorOptions = {}) {
    super(message, { cause: options.cause });
    const entry = FLASH_ERRORS[code];
    this.name = 'FlashError';
    this.code = code;
    this.mtkCode = entry.code;
    this.errorName = entry.name;
    this.stage = options.stage ?? entry.stage;
    this.retryable = entry.retryable;
    this.operatorHint = entry.operatorHint;
    this.engineerHint = options.engineerHint ?? entry.engineerHint;
    this.deviceStatus = options.deviceStatus;
    Object.setPrototypeOf(this, new.target.prototype);
  }

  /** QFlash-style one-liner, e.g. `ERR_4008_S_FT_DOWNLOAD_FAIL`. */
  get label(): string {
    return `ERR_${this.mtkCode}_${this.errorName}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      mtkCode: this.mtkCode,
      errorName: this.errorName,
      stage: this.stage,
      retryable: this.retryable,
      message: this.message,
      operatorHint: this.operatorHint,
      engineerHint: this.engineerHint,
      deviceStatus: this.deviceStatus,
    };
  }
}

export function isFlashError(error: unknown): error is FlashError {
  return error instanceof FlashError;
}
