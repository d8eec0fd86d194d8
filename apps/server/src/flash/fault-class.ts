// Who a stored failure is held against and how it may be retried, from its error name: the
// catalogue's entry (@station/mtk) for a flash error, nobody and never for the names the station
// and the server give to an attempt that did not fail on the module's account.
import { FLASH_ERRORS, type FaultBlame, type RetryKind } from '@station/mtk';

export interface FaultClass {
  blame: FaultBlame;
  retry: RetryKind;
}

/**
 * Error names that are not in the catalogue: an attempt the station or the server closed without
 * a flash failure (the station restarted, shut down or failed itself; the station or its job was
 * lost; Redis would not take the job). Nobody's fault, and never retried by the policy.
 */
export const OUTSIDE_CATALOGUE = [
  'STATION_RESTARTED',
  'STATION_SHUTDOWN',
  'STATION_ERROR',
  'STATION_LOST',
  'JOB_LOST',
  'QUEUE_UNAVAILABLE',
] as const;

const NOBODY: FaultClass = { blame: 'none', retry: 'never' };

const BY_NAME: ReadonlyMap<string, FaultClass> = new Map(
  Object.values(FLASH_ERRORS).map((entry) => [
    entry.name,
    { blame: entry.blame, retry: entry.retry },
  ]),
);

/** The fault class of a stored error name (`S_…`/`FS_…`); anything else is nobody's, never retried. */
export function faultClassOf(errorName: string | null | undefined): FaultClass {
  return (errorName && BY_NAME.get(errorName)) || NOBODY;
}
