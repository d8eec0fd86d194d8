// The station agent's whole configuration: validated environment variables, nothing else (rule 7).
import { isAbsolute, join } from 'node:path';
import { STATION_HEARTBEAT, StationId } from '@station/contracts';
import {
  BoolEnv,
  IntegerEnv,
  LogLevelEnv,
  NodeEnvEnv,
  OneOfEnv,
  PortEnv,
  RedisPrefixEnv,
  RedisUrlEnv,
  UrlEnv,
  validateEnv,
} from '@station/runtime';
import { DEFAULT_FLASH_MODE, FLASH_MODES } from '@station/mtk';
import { stationSecretProblem } from '@station/trust';
import { z } from 'zod';
import { isLoopbackHost } from './metrics/loopback-host';

/**
 * How SERIAL_PORTS names a slot's adapter (design §5, issue #9): a device path that stays with the
 * physical socket or adapter (`/dev/serial/by-path/…`, `/dev/serial/by-id/…`), or the adapter's
 * USB serial number (`usb-serial:<sn>`), looked up in serialport's port list wherever it is plugged.
 */
export type SerialPortEntry =
  | { slot: number; kind: 'path'; path: string }
  | { slot: number; kind: 'usb-serial'; serialNumber: string };

/** How an entry is written in SERIAL_PORTS (and shown as the slot's port while it is missing). */
export const entrySpec = (entry: SerialPortEntry): string =>
  entry.kind === 'path' ? entry.path : `usb-serial:${entry.serialNumber}`;

/** Kernel names handed out in plug order: they identify no adapter, so they are refused. */
const PLUG_ORDER_NAME = /^\/dev\/tty(USB|ACM)\d+$/;

/** Parses one `<slot>=<adapter>` entry; a string is the problem, in one sentence. */
function parseEntry(raw: string): SerialPortEntry | string {
  const at = raw.indexOf('=');
  const slot = Number(raw.slice(0, at));
  const target = raw.slice(at + 1).trim();
  if (at < 1 || !Number.isInteger(slot) || slot < 1 || slot > 256)
    return `entry "${raw}" must look like <slot 1-256>=<by-path link or usb-serial:<serial number>>`;
  if (target.startsWith('usb-serial:')) {
    const serialNumber = target.slice('usb-serial:'.length).trim();
    if (!serialNumber) return `slot ${slot} names usb-serial: without a serial number`;
    return { slot, kind: 'usb-serial', serialNumber };
  }
  if (PLUG_ORDER_NAME.test(target))
    return `slot ${slot} names ${target}, which changes with plug order: use its /dev/serial/by-path/… link or usb-serial:<serial number> (docs/station.md "Slots and adapters")`;
  if (!isAbsolute(target))
    return `slot ${slot} adapter "${target}" must be an absolute path or usb-serial:<serial number>`;
  return { slot, kind: 'path', path: target };
}

/**
 * `SERIAL_PORTS=1=/dev/serial/by-path/...,2=usb-serial:A10K4XYZ`: slot number → adapter. Paths may
 * contain ':' (by-path names do), so only the first '=' splits an entry.
 */
const SerialPorts = z.string().transform((value, ctx): SerialPortEntry[] => {
  const entries: SerialPortEntry[] = [];
  for (const raw of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const entry = parseEntry(raw);
    if (typeof entry === 'string') {
      ctx.addIssue({ code: 'custom', message: entry });
    } else if (entries.some((e) => e.slot === entry.slot)) {
      ctx.addIssue({ code: 'custom', message: `slot ${entry.slot} is listed twice` });
    } else if (entries.some((e) => entrySpec(e) === entrySpec(entry))) {
      ctx.addIssue({ code: 'custom', message: `${entrySpec(entry)} is given to two slots` });
    } else {
      entries.push(entry);
    }
  }
  return entries;
});

/**
 * Which jig control socket powers a slot (SLOT_POWER=jig): station slots `from`..`to` are the
 * jig's slots 1..(to-from+1), so a jig of 64 slots can be a station's slots 65-128.
 */
export interface JigControlRange {
  from: number;
  to: number;
  address: string;
}

/** Parses one `<from>-<to>=<socket>` entry; a string is the problem, in one sentence. */
function parseJigRange(raw: string): JigControlRange | string {
  const at = raw.indexOf('=');
  const match = /^(\d+)-(\d+)$/.exec(raw.slice(0, Math.max(at, 0)).trim());
  const address = raw.slice(at + 1).trim();
  if (at < 1 || !match || !address)
    return `entry "${raw}" must look like <first slot>-<last slot>=<control socket>`;
  const from = Number(match[1]);
  const to = Number(match[2]);
  if (from < 1 || to > 256 || from > to)
    return `entry "${raw}": slots must run upwards within 1-256`;
  return { from, to, address };
}

/**
 * `JIG_CONTROL=/run/jig/control.sock` (one jig: station slot n is the jig's slot n) or
 * `JIG_CONTROL=1-64=/run/jig-a/control.sock,65-128=/run/jig-b/control.sock` (several jigs).
 */
const JigControl = z.string().transform((value, ctx): JigControlRange[] => {
  const parts = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 1 && !parts[0]!.includes('='))
    return [{ from: 1, to: 256, address: parts[0]! }];
  const ranges: JigControlRange[] = [];
  for (const raw of parts) {
    const range = parseJigRange(raw);
    if (typeof range === 'string') {
      ctx.addIssue({ code: 'custom', message: range });
      continue;
    }
    const overlap = ranges.find((r) => range.from <= r.to && r.from <= range.to);
    if (overlap)
      ctx.addIssue({
        code: 'custom',
        message: `slots ${range.from}-${range.to} overlap ${overlap.from}-${overlap.to}: a slot has one jig`,
      });
    else ranges.push(range);
  }
  return ranges;
});

/** The jig control socket and the jig's own slot number for a station slot, if any. */
export function jigControlFor(
  ranges: readonly JigControlRange[],
  slot: number,
): { address: string; slot: number } | undefined {
  const range = ranges.find((r) => slot >= r.from && slot <= r.to);
  return range && { address: range.address, slot: slot - range.from + 1 };
}

/** Where a station's secret is fixed: the message every credential problem ends with. */
export const ASK_FOR_CREDENTIAL =
  "ask an admin to create the station's credential (POST /api/stations) and put it in STATION_SECRET_FILE";

export const StationEnv = z
  .object({
    NODE_ENV: NodeEnvEnv.default('development'),
    LOG_LEVEL: LogLevelEnv.default('info'),
    STATION_ID: StationId.default('station-1'),
    REDIS_URL: RedisUrlEnv.default('redis://127.0.0.1:6379'),
    REDIS_PREFIX: RedisPrefixEnv.default('fs'),
    /**
     * The server, for fetching firmware the station does not hold from the registry (signed
     * with the station's key). Only used for jobs naming a registry package.
     */
    SERVER_URL: UrlEnv(['http', 'https']).default('http://127.0.0.1:4000'),
    /** true: run an emulated jig on pseudo-terminals instead of real adapters. */
    EMULATOR: BoolEnv.default(true),
    EMULATOR_SLOTS: IntegerEnv(1, 256).default(8),
    /**
     * A scenario file for the emulated jig (IMEIs, revisions and faults per slot; format in
     * docs/emulator.md), so a demo or a test line carries the faults a real line meets.
     */
    EMULATOR_SCENARIO: z.string().min(1).optional(),
    /** Where the emulated jig puts its slot links (`slot-01` …). */
    JIG_DIR: z.string().min(1).default('.run/jig'),
    /** Real slots; required when EMULATOR=false. */
    SERIAL_PORTS: SerialPorts.optional(),
    /**
     * Real slots: each FTDI adapter's latency timer is checked at start (1 ms wanted, 16 ms is the
     * kernel's default); true sets it when this process may write its sysfs file, false only warns
     * per slot. docs/operations.md "FTDI latency timer".
     */
    SERIAL_LATENCY_TIMER_FIX: BoolEnv.default(false),
    /**
     * How real slots are powered: the operator by hand, the adapter's DTR or RTS line, or `jig`:
     * a test jig's relays switched through its control socket (JIG_CONTROL), e.g. emulated
     * modules run by `flashstation emulate` in their own processes (docs/station.md).
     */
    SLOT_POWER: OneOfEnv(['manual', 'dtr', 'rts', 'jig']).default('manual'),
    /** SLOT_POWER=jig: the jig control socket(s) and which slots each switches. */
    JIG_CONTROL: JigControl.optional(),
    /**
     * dtr/rts: true (default) when PWRKEY is pressed while the adapter's DTR#/RTS# pin is low
     * (an open-drain buffer or a diode to PWRKEY; released whenever the port is closed); false when
     * pressed while the pin is high (a single NPN transistor). docs/station.md "Power and wiring".
     */
    SLOT_POWER_ACTIVE_LOW: BoolEnv.default(true),
    /**
     * dtr/rts: how long PWRKEY is held pressed; MC60 needs at least ~1 s to switch on. At most 8 s:
     * a power cycle must end within POWER_CYCLE_TIMEOUT_MS (10 s).
     */
    SLOT_POWER_PULSE_MS: IntegerEnv(50, 8000).default(1200),
    /**
     * How emulated slots are powered: `emulator` (the station switches them through the jig's
     * control channel) or `manual` (the station prompts the operator, who switches them).
     */
    EMULATOR_POWER: OneOfEnv(['emulator', 'manual']).default('emulator'),
    HEARTBEAT_INTERVAL_MS: IntegerEnv(100, 60_000).default(STATION_HEARTBEAT.intervalMs),
    HEARTBEAT_TTL_MS: IntegerEnv(300, 300_000).default(STATION_HEARTBEAT.ttlMs),
    SHUTDOWN_TIMEOUT_MS: IntegerEnv(1000, 120_000).default(15_000),
    /** Firmware packages on this station: one folder per packageId with its .cfg and images. */
    FIRMWARE_DIR: z.string().min(1).default('.run/firmware'),
    /** The MT6261 download agent; default `<FIRMWARE_DIR>/mt6261_da.bin`. */
    DA_FILE: z.string().min(1).optional(),
    /** The append-only journal of attempts and results; default `.run/journal/<STATION_ID>.jsonl`. */
    JOURNAL_FILE: z.string().min(1).optional(),
    /**
     * libuv's worker pool, read by Node at start (apps/station/bin/station.sh sets it); only
     * checked here, so a station started some other way warns when it is too small.
     */
    UV_THREADPOOL_SIZE: IntegerEnv(1, 1024).optional(),
    /**
     * true: send the protocol trace with passed attempts too (docs/protocol.md "Protocol trace").
     * Failed and canceled attempts always carry theirs; a passed one's is rarely read.
     */
    TRACE_PASSED: BoolEnv.default(false),
    /**
     * What every flash of this station does besides the images (docs/station.md "Firmware upgrade
     * or format all"): `firmware-upgrade` keeps NVRAM and the file system, `format-all` formats the
     * whole part and writes the package's boot loaders back.
     */
    FLASH_MODE: OneOfEnv(FLASH_MODES).default(DEFAULT_FLASH_MODE),
    /** Write the package's boot loaders too; unset: only with format-all (which must). */
    FLASH_BOOT_LOADERS: BoolEnv.optional(),
    /**
     * The station's own `/metrics` listener (docs/operations.md "Metrics"); unset: none. 0 lets
     * the OS pick a port (logged).
     */
    METRICS_PORT: PortEnv.optional(),
    /** Where that listener binds: this PC only by default; the Prometheus host's side on a line. */
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    /**
     * The bearer token Prometheus scrapes that listener with (docs/security.md "Metrics").
     * Required when METRICS_HOST is not a loopback address; unset on loopback: no check.
     */
    METRICS_TOKEN: z
      .string()
      .min(24, { error: 'must be at least 24 characters (openssl rand -hex 24 makes one)' })
      .optional(),
    /** How often unconfirmed results are checked for the server's confirmation. */
    CONFIRM_POLL_MS: IntegerEnv(50, 60_000).default(500),
    /** The station's secret itself (`fss_…`). STATION_SECRET_FILE keeps it out of `ps` and logs. */
    STATION_SECRET: z
      .string()
      .refine((secret) => stationSecretProblem(secret) === null, {
        error: (issue) => `${stationSecretProblem(String(issue.input))}: ${ASK_FOR_CREDENTIAL}`,
      })
      .optional(),
    /**
     * A file holding the secret (read at start, agent/station-credential.ts); default
     * `.run/station-secrets/<STATION_ID>` unless STATION_SECRET is set.
     */
    STATION_SECRET_FILE: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.FLASH_MODE === 'format-all' && env.FLASH_BOOT_LOADERS === false)
      ctx.addIssue({
        code: 'custom',
        path: ['FLASH_BOOT_LOADERS'],
        message:
          'cannot be false with FLASH_MODE=format-all: it erases the boot loaders and must write them back (or use FLASH_MODE=firmware-upgrade)',
      });
    if (!env.EMULATOR && (env.SERIAL_PORTS ?? []).length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['SERIAL_PORTS'],
        message:
          'is required when EMULATOR=false: list the jig slots as 1=/dev/serial/by-path/...,2=usb-serial:<serial number>',
      });
    }
    if (!env.EMULATOR && env.SLOT_POWER === 'jig') {
      const ranges = env.JIG_CONTROL ?? [];
      const uncovered = (env.SERIAL_PORTS ?? [])
        .map((entry) => entry.slot)
        .filter((slot) => !jigControlFor(ranges, slot));
      if (env.JIG_CONTROL === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['JIG_CONTROL'],
          message:
            "is required when SLOT_POWER=jig: the jig's control socket (e.g. /run/jig/control.sock, or 1-64=/run/jig-a/control.sock,65-128=/run/jig-b/control.sock)",
        });
      else if (ranges.length > 0 && uncovered.length > 0)
        ctx.addIssue({
          code: 'custom',
          path: ['JIG_CONTROL'],
          message: `names no control socket for slot${uncovered.length > 1 ? 's' : ''} ${uncovered.join(', ')} of SERIAL_PORTS: add a range that covers ${uncovered.length > 1 ? 'them' : 'it'}`,
        });
    }
    if (env.JIG_CONTROL !== undefined && (env.EMULATOR || env.SLOT_POWER !== 'jig')) {
      ctx.addIssue({
        code: 'custom',
        path: ['JIG_CONTROL'],
        message: env.EMULATOR
          ? 'is only for EMULATOR=false with SLOT_POWER=jig (an in-process emulated jig is switched through its own socket)'
          : `is only read with SLOT_POWER=jig (SLOT_POWER is ${env.SLOT_POWER}): set SLOT_POWER=jig or remove JIG_CONTROL`,
      });
    }
    if (
      env.METRICS_PORT !== undefined &&
      env.METRICS_TOKEN === undefined &&
      !isLoopbackHost(env.METRICS_HOST)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_TOKEN'],
        message: `is required when METRICS_HOST (${env.METRICS_HOST}) is not a loopback address: anyone on that network could read /metrics; set 24+ characters (openssl rand -hex 24 makes one) and give Prometheus the same (docs/operations.md "Metrics")`,
      });
    }
    if (env.HEARTBEAT_TTL_MS < 2 * env.HEARTBEAT_INTERVAL_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['HEARTBEAT_TTL_MS'],
        message: `must be at least twice HEARTBEAT_INTERVAL_MS (${env.HEARTBEAT_INTERVAL_MS}), or one late refresh drops the station`,
      });
    }
    if (env.STATION_SECRET !== undefined && env.STATION_SECRET_FILE !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['STATION_SECRET_FILE'],
        message: 'cannot be set together with STATION_SECRET: give the secret one way',
      });
    }
  })
  .transform((env) => ({
    ...env,
    STATION_SECRET_FILE:
      env.STATION_SECRET === undefined
        ? (env.STATION_SECRET_FILE ?? join('.run', 'station-secrets', env.STATION_ID))
        : undefined,
    DA_FILE: env.DA_FILE ?? join(env.FIRMWARE_DIR, 'mt6261_da.bin'),
    JOURNAL_FILE: env.JOURNAL_FILE ?? join('.run', 'journal', `${env.STATION_ID}.jsonl`),
  }));
export type StationEnv = z.infer<typeof StationEnv>;

/** Validates a variable map; empty values count as unset (compose files often write `FOO=`). */
export const parseEnv = (source: Record<string, string | undefined>): StationEnv =>
  validateEnv(StationEnv, source, 'station configuration');

/** The agent's configuration. Import this module dynamically from the entry so a bad value is
 * reported as a message rather than a stack trace. */
export const env: StationEnv = parseEnv(process.env);
