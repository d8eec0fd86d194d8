// The protocol trace (issue #10 §3): what the host said to the boot ROM and Download Agent and what
// came back, one entry per command (never image bytes), kept by the station in a ring buffer and
// stored with the attempt. `describeTraceEntry` turns an entry into the line the attempt page shows:
// "SEND_DA 0x70007000 len 124360 → checksum E423 ✓", "WRITE packet 212 → NACK error 3061 ✗".
import { z } from 'zod';
import { FlashStage } from './stages';

/** Entries one trace may hold: a whole MC60 flash folds into well under this. */
export const TRACE_MAX_ENTRIES = 400;

/** argument/reply names: `addr`, `len`, `packet`, `baud`, `checksum`, `status`, `answer`, … */
const FieldName = z.string().regex(/^[a-z][a-zA-Z0-9]{0,15}$/);
const FieldValue = z.union([z.number().int(), z.string().max(64)]);
const Fields = z.record(FieldName, FieldValue).refine((fields) => Object.keys(fields).length <= 8, {
  message: 'at most 8 fields',
});

export const TraceEntry = z.object({
  /** Milliseconds since the trace began. */
  t: z.number().int().nonnegative(),
  stage: FlashStage,
  /** The command or step: `HANDSHAKE`, `READ32`, `SEND_DA`, `JUMP_DA`, `BAUD`, `WRITE`, `AT`, … */
  cmd: z.string().regex(/^[A-Z][A-Z0-9_+]{0,23}$/),
  /** What was sent that matters, in the order shown: `{ addr, len }`, `{ packet }`, `{ baud }`. */
  args: Fields.optional(),
  /** What came back: `{ checksum }`, `{ answer: 'NACK', error: 3061 }`, `{ answer: 'timeout' }`. */
  reply: Fields.optional(),
  /** Whether the step went as the protocol expects. */
  ok: z.boolean(),
  /** Consecutive like successes folded into this one entry (WRITE packets 1 to 1500): their count. */
  repeat: z.number().int().min(2).optional(),
});
export type TraceEntry = z.infer<typeof TraceEntry>;

export const ProtocolTrace = z
  .object({
    v: z.literal(1),
    /** When the first entry's clock started. */
    startedAt: z.iso.datetime(),
    /** In time order. */
    entries: z.array(TraceEntry).max(TRACE_MAX_ENTRIES),
    /** Entries the ring buffer let go (the oldest after the opening ones); 0 when none were. */
    dropped: z.number().int().nonnegative(),
    /** Index in `entries` before which the `dropped` entries were; null when none were dropped. */
    gapAt: z.number().int().nonnegative().nullable(),
  })
  .refine((trace) => (trace.gapAt === null) === (trace.dropped === 0), {
    message: 'gapAt is set exactly when entries were dropped',
    path: ['gapAt'],
  })
  .refine((trace) => trace.gapAt === null || trace.gapAt <= trace.entries.length, {
    message: 'gapAt must fall within the entries',
    path: ['gapAt'],
  });
export type ProtocolTrace = z.infer<typeof ProtocolTrace>;

/** Field names shown as 32-bit addresses (0x70007000). */
const ADDRESS_FIELDS = new Set(['addr', 'address', 'jump', 'offset', 'end']);
/** Field names shown as 16-bit hex without prefix, as MediaTek's tools print checksums (E423). */
const CHECKSUM_FIELDS = new Set(['checksum', 'expected']);
/** Field names shown in 0x hex: BROM status words, register values, chip identities, GFH image
 * types, protocol bytes. MediaTek's numbered errors (DA NACK codes like 3061) go in `error`, shown
 * in decimal as the catalogue has them. */
const HEX_FIELDS = new Set([
  'status',
  'value',
  'type',
  'efuse',
  'hwCode',
  'hwVersion',
  'jedec',
  'byte',
]);
/** Field whose value is shown bare, without its name (`ACK`, `NACK`, `timeout`). */
const BARE_FIELD = 'answer';

const hexDigits = (value: number, width: number): string =>
  (value >>> 0).toString(16).toUpperCase().padStart(width, '0');

function formatField(name: string, value: number | string): string {
  if (name === BARE_FIELD) return String(value);
  if (typeof value === 'string') return `${name} ${value}`;
  if (ADDRESS_FIELDS.has(name))
    return `${name === 'addr' ? '' : `${name} `}0x${hexDigits(value, 8)}`;
  if (CHECKSUM_FIELDS.has(name)) return `${name} ${hexDigits(value, 4)}`;
  if (HEX_FIELDS.has(name)) return `${name === 'status' ? '' : `${name} `}0x${hexDigits(value, 4)}`;
  return `${name} ${value}`;
}

/**
 * The order fields are shown in, whatever order they come in: Postgres's jsonb keeps keys shortest
 * first, so a stored trace reads back as `{ len, addr }`. Names not listed follow, as given.
 */
const FIELD_ORDER = [
  'answer',
  'send',
  'addr',
  'address',
  'len',
  'type',
  'packet',
  'packets',
  'packetSize',
  'record',
  'records',
  'image',
  'images',
  'attempt',
  'baud',
  'value',
  'status',
  'checksum',
  'expected',
  'sent',
  'got',
  'echo',
  'error',
  'hwCode',
  'hwVersion',
  'efuse',
  'name',
  'version',
  'bbChip',
  'nor',
  'jedec',
  'size',
];
const fieldRank = (name: string): number => {
  const rank = FIELD_ORDER.indexOf(name);
  return rank < 0 ? FIELD_ORDER.length : rank;
};

const formatFields = (fields: Record<string, number | string> | undefined): string =>
  Object.entries(fields ?? {})
    .sort(([a], [b]) => fieldRank(a) - fieldRank(b))
    .map(([name, value]) => formatField(name, value))
    .join(' ');

/**
 * One entry as a line of the attempt page's timeline. A folded run of packets shows its range:
 * "WRITE packet 1–1500 → CONT ✓".
 */
export function describeTraceEntry(entry: TraceEntry): string {
  let args = formatFields(entry.args);
  const first = entry.args?.packet;
  if (entry.repeat && typeof first === 'number') {
    args = args.replace(`packet ${first}`, `packet ${first}–${first + entry.repeat - 1}`);
  } else if (entry.repeat) {
    args = `${args} ×${entry.repeat}`.trim();
  }
  const reply = formatFields(entry.reply);
  const sent = args ? `${entry.cmd} ${args}` : entry.cmd;
  return `${reply ? `${sent} → ${reply}` : sent} ${entry.ok ? '✓' : '✗'}`;
}
