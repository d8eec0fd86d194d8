// The scan box's refusals (issue #9 §3, §4), each one plain sentence the tile shows as is. Pure:
// the service decides when; this file says what the operator reads.
import { parseLabel, type LabelFormat } from '@station/contracts';
import { BadRequestError, ConflictError, ForbiddenError, type AppError } from '../errors';

/** The IMEI a request names: read from its label, or the bare `imei`. */
export interface ScannedModule {
  imei: string;
  labelRaw: string | null;
  labelFormat: string | null;
}

/** Reads `label` with the server's formats; a label it cannot read is 400 LABEL_UNREADABLE. */
export function scannedModule(
  request: { label?: string; imei?: string },
  formats: readonly LabelFormat[],
): ScannedModule {
  if (request.label === undefined)
    return { imei: request.imei!, labelRaw: null, labelFormat: null };
  const reading = parseLabel(request.label, formats);
  if (!reading.ok) throw new BadRequestError('LABEL_UNREADABLE', reading.message);
  return { imei: reading.imei, labelRaw: request.label, labelFormat: reading.format };
}

/** A slot the line took out of rotation, as `slots.status` says (the policy writes suspect). */
export function slotStatusRefusal(
  slot: { status: 'active' | 'suspect' | 'disabled'; statusReason: string | null },
  where: string,
): AppError | null {
  const reason = slot.statusReason ? ` (${slot.statusReason})` : '';
  switch (slot.status) {
    case 'active':
      return null;
    case 'suspect':
      return new ConflictError(
        'SLOT_SUSPECT',
        `${where} is suspect${reason}: use another slot until a supervisor releases it`,
      );
    case 'disabled':
      return new ConflictError('SLOT_DISABLED', `${where} is disabled${reason}: use another slot`);
  }
}

export const doubleScan = (imei: string, heldBy: number | null, slot: number): AppError =>
  new ConflictError(
    'DOUBLE_SCAN',
    `This label was just scanned at ${heldBy === null ? 'this station' : `slot ${heldBy}`} (IMEI ${imei}): not started in slot ${slot} as well`,
  );

export const alreadyPassed = (imei: string, packageName: string): AppError =>
  new ConflictError(
    'ALREADY_PASSED',
    `Module ${imei} already passed with ${packageName}: it is not flashed again without a supervisor's rework`,
  );

export const reworkForbidden = (role: string): AppError =>
  new ForbiddenError(
    `Your role ${role} may not rework a module that already passed: ask a supervisor`,
  );

export const moduleBusy = (
  imei: string,
  running: { stationCode: string; slot: number } | null,
  stationCode: string,
): AppError =>
  new ConflictError(
    'MODULE_BUSY',
    running === null
      ? `Module ${imei} is already being flashed in another slot: wait for its result`
      : `Module ${imei} is already being flashed in slot ${running.slot}${running.stationCode === stationCode ? '' : ` of station ${running.stationCode}`}: wait for its result`,
  );

export const moduleBlocked = (
  imei: string,
  status: 'quarantined' | 'scrapped',
  reason: string | null,
): AppError =>
  new ConflictError(
    'MODULE_BLOCKED',
    `Module ${imei} is ${status}${reason ? ` (${reason})` : ''}: it may not be flashed${status === 'quarantined' ? ' until an engineer releases it' : ''}`,
  );
