/**
 * Bytes the OS and the adapter may still hold ahead of a write when it starts: a pseudo-terminal
 * pair holds ~20 KiB, USB-serial drivers a few KiB. They cross the line before ours do.
 */
export const LINE_BUFFER_BYTES = 32 * 1024;

/** Slack on top of the line time: scheduling, USB latency, a loaded host. */
export const WRITE_SLACK_MS = 2000;

/** How long line settings (baud, DTR/RTS) may take to apply. */
export const LINE_CONTROL_TIMEOUT_MS = 2000;

/** Time the line needs for `bytes` at `baud` (10 bits a byte: start, 8 data, stop), in ms. */
export function lineTimeMs(bytes: number, baud: number): number {
  return Math.ceil((bytes * 10 * 1000) / baud);
}

/**
 * Deadline of a write and its drain: the bytes, and whatever may be buffered ahead of them,
 * cross the line at `baud`, plus slack. Longer means the adapter or its driver stalled.
 */
export function writeDeadlineMs(bytes: number, baud: number): number {
  return WRITE_SLACK_MS + lineTimeMs(bytes + LINE_BUFFER_BYTES, baud);
}
