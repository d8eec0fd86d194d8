import { z } from 'zod';

/**
 * A station id names a queue (`flash-<id>`) and Redis keys, so it is restricted to characters that
 * are safe in both (BullMQ forbids `:` in queue names).
 */
export const StationId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    'must be 1-64 letters, digits, "-" or "_", starting with a letter or digit',
  );
export type StationId = z.infer<typeof StationId>;

/** How a slot's module is powered on: by the operator, an adapter line, or the emulator channel. */
export const PowerMode = z.enum(['manual', 'dtr', 'rts', 'emulator']);
export type PowerMode = z.infer<typeof PowerMode>;

/** A firmware package a station holds in its FIRMWARE_DIR, announced when it registers. */
export const StationPackage = z.object({
  /** Folder name on the station, e.g. `demo-MC60CAR01A13`. */
  packageId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/),
  /** `packageDigest` of the package files (sha256, lowercase hex). */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  revision: z.string().min(1),
  platform: z.string().min(1),
  /**
   * NOR flash JEDEC ids the package's cfg allows (manufacturer, type, capacity as hex bytes, e.g.
   * `C8 60 16`); empty means any. Recorded with the package so an engineer can see which parts
   * it may be written to.
   */
  allowedFlashIds: z
    .array(z.string().regex(/^[0-9A-F]{2} [0-9A-F]{2} [0-9A-F]{2}$/, 'must be like "C8 60 16"'))
    .max(64)
    .optional(),
});
export type StationPackage = z.infer<typeof StationPackage>;

export const SlotNumber = z.number().int().min(1).max(256);

/**
 * Whether a slot takes scans (issue #9): `active`; `suspect`: its failures rose while its
 * neighbours on the same package passed, out of rotation until a supervisor releases it;
 * `offline`: its adapter is missing or its station is gone; `disabled`: taken out by a supervisor.
 */
export const SlotState = z.enum(['active', 'suspect', 'offline', 'disabled']);
export type SlotState = z.infer<typeof SlotState>;

export const SlotStatus = z.object({
  slot: SlotNumber,
  /** Serial device path, preferably stable (`/dev/serial/by-path/...`) or an emulator pty link. */
  port: z.string().min(1),
  /** Stable adapter identity (USB serial number or physical path); null when unknown. */
  adapter: z.string().min(1).nullable(),
  power: PowerMode,
  /** False while the slot's port is missing (reported in the station's heartbeat) or its station is gone. */
  online: z.boolean().optional(),
});
export type SlotStatus = z.infer<typeof SlotStatus>;

export const StationStatus = z.object({
  stationId: StationId,
  hostname: z.string().min(1),
  version: z.string().min(1),
  connected: z.boolean(),
  lastSeenAt: z.iso.datetime(),
  slots: z.array(SlotStatus),
  /** Firmware packages the station holds (empty for stations that announce none). */
  packages: z.array(StationPackage).optional(),
});
export type StationStatus = z.infer<typeof StationStatus>;

/** `GET /api/stations` */
export const StationListResponse = z.object({ stations: z.array(StationStatus) });
export type StationListResponse = z.infer<typeof StationListResponse>;

/** Unique slot numbers and ports: two slots on one port would fight over the adapter. */
const uniqueSlots = (slots: SlotStatus[], ctx: z.RefinementCtx) => {
  const seenSlots = new Set<number>();
  const seenPorts = new Set<string>();
  slots.forEach((s, index) => {
    if (seenSlots.has(s.slot)) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'slot'],
        message: `slot ${s.slot} is listed twice`,
      });
    }
    if (seenPorts.has(s.port)) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'port'],
        message: `port ${s.port} is used by two slots`,
      });
    }
    seenSlots.add(s.slot);
    seenPorts.add(s.port);
  });
};

/** What an agent announces about itself when it starts (station → server, signed, on its control stream). */
export const StationRegistration = z.object({
  v: z.literal(1),
  stationId: StationId,
  /** Random id per agent process: tells a restarted agent from a late message of the old one. */
  bootId: z.string().min(1),
  hostname: z.string().min(1),
  version: z.string().min(1),
  startedAt: z.iso.datetime(),
  slots: z.array(SlotStatus).min(1).superRefine(uniqueSlots),
  /** Firmware packages in the station's FIRMWARE_DIR (older agents send none). */
  packages: z.array(StationPackage).optional(),
});
export type StationRegistration = z.infer<typeof StationRegistration>;

export const StationUnregistration = z.object({
  v: z.literal(1),
  stationId: StationId,
  bootId: z.string().min(1),
  reason: z.enum(['shutdown', 'error']),
});
export type StationUnregistration = z.infer<typeof StationUnregistration>;

/** `POST /api/stations` (admin): a new station and its credential. */
export const CreateStationRequest = z.object({
  stationId: StationId,
  name: z.string().trim().min(1).max(200).optional(),
});
export type CreateStationRequest = z.infer<typeof CreateStationRequest>;

/**
 * A station credential, answered once (create or rotate) and never again: the server keeps only
 * what it derives from `secret`. The station is started with it in STATION_SECRET_FILE.
 */
export const StationCredentialResponse = z.object({
  stationId: StationId,
  name: z.string(),
  secret: z.string(),
  /** The station's Redis ACL user (its password is derived from the secret). */
  redisUser: z.string(),
  issuedAt: z.iso.datetime(),
});
export type StationCredentialResponse = z.infer<typeof StationCredentialResponse>;
