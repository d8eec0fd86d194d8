// Database rows → the explorer's contract shapes (list item, attempt page, CSV record).
import {
  ATTEMPT_CSV_COLUMNS,
  type AttemptDetail,
  type AttemptListItem,
  type AttemptOutcomeFilter,
  ProtocolTrace,
} from '@station/contracts';
import type { AttemptExplorerDetail, AttemptExplorerRow } from '@station/db';
import type { CsvValue } from './csv';

export const attemptItem = (row: AttemptExplorerRow): AttemptListItem => ({
  id: row.id,
  imei: row.imei,
  station: row.stationCode,
  slot: row.slotIndex + 1,
  packageName: row.packageName,
  packageRevision: row.packageRevision,
  outcome: row.outcome as AttemptOutcomeFilter,
  errorCode: row.errorCode,
  errorName: row.errorName,
  stageReached: row.stageReached,
  startedAt: row.startedAt.toISOString(),
  endedAt: row.endedAt?.toISOString() ?? null,
  durationMs: row.endedAt ? row.endedAt.getTime() - row.startedAt.getTime() : null,
  baud: row.baud,
  retryOfId: row.retryOfId,
  labelRaw: row.labelRaw,
});

export const attemptDetail = (row: AttemptExplorerDetail, retryChain: string[]): AttemptDetail => ({
  ...attemptItem(row),
  errorMessage: row.errorMessage,
  stageTimings: (row.stageTimings as Record<string, number> | null) ?? null,
  operatorHint: row.operatorHint,
  engineerHint: row.engineerHint,
  bytesWritten: row.bytesWritten === null ? null : Number(row.bytesWritten),
  revisionBefore: row.revisionBefore,
  revisionAfter: row.revisionAfter,
  reportedImei: row.reportedImei,
  labelFormat: row.labelFormat,
  operator: row.operator,
  retryChain,
  trace: storedTrace(row.protocolTrace),
});

/** The stored trace when it is one this version can show; a malformed one reads as none. */
function storedTrace(value: unknown): ProtocolTrace | null {
  const parsed = ProtocolTrace.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The CSV record of a list item, in ATTEMPT_CSV_COLUMNS order. */
export const attemptCsvValues = (item: AttemptListItem): CsvValue[] =>
  ATTEMPT_CSV_COLUMNS.map((column) => item[column]);
