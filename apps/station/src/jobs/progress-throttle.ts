// Flash progress arrives per packet (hundreds a second); the server and the dashboard rooms need a
// few a second. Leading edge + one trailing event, so the latest state is never lost.
import type { FlashRunProgress } from '@station/contracts';
import type { FlashProgress } from '@station/mtk';

/** 5 per second (the design's throttle for progress events). */
export const PROGRESS_INTERVAL_MS = 200;

export interface ProgressThrottle {
  push(progress: FlashProgress): void;
  /** Drops a pending trailing event (the flash is over; its result says the rest). */
  stop(): void;
}

export function throttleProgress(
  send: (progress: FlashRunProgress) => void,
  intervalMs = PROGRESS_INTERVAL_MS,
): ProgressThrottle {
  let lastSent = -Infinity;
  let pending: FlashRunProgress | undefined;
  let timer: NodeJS.Timeout | undefined;
  const emit = (progress: FlashRunProgress): void => {
    lastSent = Date.now();
    pending = undefined;
    send(progress);
  };
  return {
    push({ stage, percent, bytes, totalBytes }) {
      const progress: FlashRunProgress = { v: 1, stage, percent, bytes, totalBytes };
      const wait = lastSent + intervalMs - Date.now();
      if (wait <= 0 && timer === undefined) return emit(progress);
      pending = progress;
      timer ??= setTimeout(() => {
        timer = undefined;
        if (pending) emit(pending);
      }, wait);
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
      pending = undefined;
    },
  };
}
