// A slot is offline while its station is gone (heartbeat lost) or its port is missing; the
// reason is the sentence a screen shows. Suspect and disabled come from attribution and
// supervisors, not from presence.
import type { SlotState, StationStatus } from '@station/contracts';

export function slotPresence(
  station: Pick<StationStatus, 'stationId' | 'connected'>,
  online: boolean | undefined,
): { status: SlotState; statusReason: string | null } {
  if (!station.connected) {
    return {
      status: 'offline',
      statusReason: `station ${station.stationId} is not connected (no heartbeat)`,
    };
  }
  if (online === false) {
    return { status: 'offline', statusReason: "the slot's adapter is missing" };
  }
  return { status: 'active', statusReason: null };
}
