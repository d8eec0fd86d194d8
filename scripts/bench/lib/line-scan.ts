// A scanner's POST /api/flash-jobs against a started line, and the module's final result, as the
// slot benches (line-slots, scan-burst) use them.
import type { CreateFlashJobResponse, FlashResultEvent } from '@station/contracts';
import { syntheticImei } from '@station/emulator';
import type { Line } from '../../../reliability/support/line';

/** A loaded machine (load 30+) has taken over 30 s to store a 128-slot registration. */
const NOT_STORED_DEADLINE_MS = 120_000;

export interface AcceptedScan {
  attemptId: string;
  /** performance.now() when the accepted scan was sent and when its 202 came back. */
  sentAt: number;
  answeredAt: number;
}

/**
 * Scans slot `slot`'s module (the emulated jig gives slot n the IMEI syntheticImei(100000 + n));
 * rounds flash the same modules again, so every scan is a supervisor's rework. A scanner retries
 * "not stored yet" (a registration is stored a moment after the station connects): the module's
 * time starts at the scan that was accepted.
 */
export async function scanSlot(
  line: Line,
  slot: number,
  job: { packageId: string; baud?: number },
): Promise<AcceptedScan> {
  const deadline = performance.now() + NOT_STORED_DEADLINE_MS;
  for (;;) {
    const sentAt = performance.now();
    const response = await fetch(`${line.server.baseUrl}/api/flash-jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: line.cookie },
      body: JSON.stringify({
        stationId: line.stationId,
        slot,
        imei: syntheticImei(100_000 + slot),
        packageId: job.packageId,
        ...(job.baud === undefined ? {} : { baud: job.baud }),
        rework: true,
      }),
    });
    const body = (await response.json()) as CreateFlashJobResponse & { error?: { code?: string } };
    if (response.status === 202)
      return { attemptId: body.attemptId, sentAt, answeredAt: performance.now() };
    if (body.error?.code !== 'STATION_NOT_STORED' || performance.now() > deadline)
      throw new Error(`scan of slot ${slot} answered ${response.status}: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The module's last attempt: the scan's, or the retry the server started after it failed. */
export async function finalResult(
  line: Line,
  attemptId: string,
  timeoutMs: number,
): Promise<{ result: FlashResultEvent; retries: string[] }> {
  const retries: string[] = [];
  let result = await line.resultOf(attemptId, timeoutMs);
  while (result.retry) {
    // The stored message says which exchange failed (the event carries only the code).
    const failed = await line.db.prisma.flashAttempt
      .findUnique({ where: { id: result.attemptId }, select: { errorMessage: true } })
      .catch(() => null);
    const why = failed?.errorMessage ? ` (${failed.errorMessage})` : '';
    retries.push(
      `${result.retry.reason} retry after ${result.errorName ?? result.outcome} at ${result.stage}${why}`,
    );
    result = await line.resultOf(result.retry.attemptId, timeoutMs);
  }
  return { result, retries };
}
