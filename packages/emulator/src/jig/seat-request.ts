// Checks a module about to be seated (from the control socket, the CLI or a test) and says in one
// sentence what is wrong with it.
import { describeFaultIssue, ModuleFaultsSchema, RevisionSchema } from '../scenario/fault-schema';
import { isValidImei } from '../util/imei';
import { JigError } from './errors';
import type { ModuleSpec } from './module-factory';
import type { SeatRequest } from './types';

export function checkSeatRequest(request: SeatRequest): ModuleSpec {
  if (!isValidImei(request.imei)) {
    throw new JigError(
      `invalid IMEI "${request.imei}": an IMEI is 15 digits with a valid Luhn check digit`,
    );
  }
  if (request.revision !== undefined && request.revision !== null) {
    const revision = RevisionSchema.safeParse(request.revision);
    if (!revision.success) {
      throw new JigError(
        `invalid revision "${request.revision}": ${revision.error.issues[0]!.message}`,
      );
    }
  }
  const faults = ModuleFaultsSchema.safeParse(request.faults ?? {});
  if (!faults.success) throw new JigError(describeFaultIssue(faults.error.issues[0]!, ''));
  return {
    imei: request.imei,
    faults: faults.data,
    ...(request.revision !== undefined ? { revision: request.revision } : {}),
  };
}
