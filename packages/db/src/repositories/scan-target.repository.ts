// Everything a scan reads before it opens an attempt, in one statement: the station's row, the
// scanned slot (its rotation status and current adapter), the packages the station announced and
// the activation that decides what it flashes. Prisma's includes cost a round trip per relation
// (station, slots, bindings, adapters; an activation's package and station): 11–14 statements
// per scan, each waiting for a pooled connection under a burst of 128 scans (#12 §5).
import { Prisma } from '../generated/prisma/client';
import type { PrismaClientOrTransaction } from './types';

export interface ScanTargetInput {
  /** The station's code (its STATION_ID). */
  stationCode: string;
  /** 0-based, as slots.index. */
  slotIndex: number;
  /** Content digests of the packages the station announced (lower-case hex SHA-256). */
  digests: readonly string[];
}

/** A firmware package as a scan needs it. */
export interface ScanPackage {
  /** firmware_packages.id */
  id: string;
  digest: string;
  name: string;
  revision: string;
  platform: string;
  /** The registry holds its files (a station without it can fetch it). */
  stored: boolean;
}

export interface ScanSlot {
  /** slots.id */
  id: string;
  status: 'active' | 'suspect' | 'disabled';
  statusReason: string | null;
  /** adapters.id of the adapter bound now; null: none. */
  adapterId: string | null;
}

export interface ScanTarget {
  /** stations.id; null when the station is not stored (yet). */
  stationId: string | null;
  /** Null when the station or this slot is not stored (yet). */
  slot: ScanSlot | null;
  /** The stored packages among `digests` (others are not stored yet). */
  packages: ScanPackage[];
  /** The activated package: the station's own newest activation, else the line's; null: none. */
  activated: ScanPackage | null;
}

interface Row {
  stationId: string | null;
  slot: ScanSlot | null;
  packages: ScanPackage[] | null;
  activated: ScanPackage | null;
}

// One package as JSON, the shape of ScanPackage.
const PACKAGE_JSON = Prisma.sql`json_build_object('id', p.id, 'digest', p.digest, 'name', p.name,
  'revision', p.revision, 'platform', p.platform, 'stored', p.stored_at IS NOT NULL)`;

export const scanTargetRepository = {
  async find(db: PrismaClientOrTransaction, input: ScanTargetInput): Promise<ScanTarget> {
    const digests = [...input.digests];
    // Each activation subquery is served by (station_id, activated_at DESC); LIMIT 1 per scope.
    const [row] = await db.$queryRaw<Row[]>`
      SELECT st.id AS "stationId",
             CASE WHEN sl.id IS NULL THEN NULL ELSE json_build_object(
               'id', sl.id, 'status', sl.status::text, 'statusReason', sl.status_reason,
               'adapterId', (SELECT b.adapter_id FROM adapter_bindings b
                              WHERE b.slot_id = sl.id AND b.unbound_at IS NULL
                              ORDER BY b.bound_at DESC LIMIT 1)) END AS slot,
             (SELECT json_agg(${PACKAGE_JSON}) FROM firmware_packages p
               WHERE p.digest = ANY(${digests}::text[])) AS packages,
             COALESCE(
               (SELECT ${PACKAGE_JSON} FROM firmware_activations a
                  JOIN firmware_packages p ON p.id = a.package_id
                 WHERE a.station_id = st.id
                 ORDER BY a.activated_at DESC, a.id DESC LIMIT 1),
               (SELECT ${PACKAGE_JSON} FROM firmware_activations a
                  JOIN firmware_packages p ON p.id = a.package_id
                 WHERE a.station_id IS NULL
                 ORDER BY a.activated_at DESC, a.id DESC LIMIT 1)) AS activated
        FROM (SELECT 1) AS one
        LEFT JOIN stations st ON st.code = ${input.stationCode}
        LEFT JOIN slots sl ON sl.station_id = st.id AND sl."index" = ${input.slotIndex}`;
    return {
      stationId: row?.stationId ?? null,
      slot: row?.slot ?? null,
      packages: row?.packages ?? [],
      activated: row?.activated ?? null,
    };
  },
};
