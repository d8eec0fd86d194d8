// Pure validation tests of the station agent's own variables; the shared rules (booleans, numbers,
// URL schemes, empty values, message format) are tested in packages/runtime. Nothing real or mocked.
import { envProblems } from '@station/runtime';
import { describe, expect, it } from 'vitest';
import { newStationSecret } from '@station/trust';
import { ASK_FOR_CREDENTIAL, StationEnv, jigControlFor, parseEnv } from './env';

const problemsOf = (source: Record<string, string>) => envProblems(StationEnv, source);

describe('station env', () => {
  it('defaults to an emulated 8-slot jig that works on a dev machine', () => {
    expect(parseEnv({})).toMatchObject({
      STATION_ID: 'station-1',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'fs',
      EMULATOR: true,
      EMULATOR_SLOTS: 8,
      JIG_DIR: '.run/jig',
      HEARTBEAT_INTERVAL_MS: 1500,
      HEARTBEAT_TTL_MS: 5000,
      SHUTDOWN_TIMEOUT_MS: 15_000,
      FIRMWARE_DIR: '.run/firmware',
      DA_FILE: '.run/firmware/mt6261_da.bin',
      TRACE_PASSED: false,
      // Read at start (agent/station-credential.ts), not here.
      STATION_SECRET_FILE: '.run/station-secrets/station-1',
    });
  });

  it('serves /metrics only when METRICS_PORT is set, on 127.0.0.1 unless METRICS_HOST says', () => {
    const defaults = parseEnv({});
    expect(defaults.METRICS_PORT).toBeUndefined();
    expect(defaults.METRICS_HOST).toBe('127.0.0.1');
    expect(parseEnv({ METRICS_PORT: '9464', METRICS_HOST: '127.0.0.2' })).toMatchObject({
      METRICS_PORT: 9464,
      METRICS_HOST: '127.0.0.2',
    });
    expect(problemsOf({ METRICS_PORT: '70000' })).toEqual([
      expect.stringMatching(/^METRICS_PORT .*\(got "70000"\)$/),
    ]);
  });

  it('requires a METRICS_TOKEN of 24+ characters when /metrics listens beyond loopback', () => {
    const token = 'a'.repeat(24);
    // On this PC only, a token is optional.
    for (const host of ['127.0.0.1', '127.0.0.53', 'localhost', '::1', '::ffff:127.0.0.1'])
      expect(problemsOf({ METRICS_PORT: '9464', METRICS_HOST: host }), host).toEqual([]);
    expect(parseEnv({ METRICS_PORT: '9464' }).METRICS_TOKEN).toBeUndefined();
    expect(parseEnv({ METRICS_PORT: '9464', METRICS_TOKEN: token }).METRICS_TOKEN).toBe(token);
    // Anywhere else the station refuses to start without one, naming the host and the fix.
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'jig-7.line.example', '::ffff:10.0.0.1'])
      expect(problemsOf({ METRICS_PORT: '9464', METRICS_HOST: host }), host).toEqual([
        `METRICS_TOKEN is required when METRICS_HOST (${host}) is not a loopback address: anyone on that network could read /metrics; set 24+ characters (openssl rand -hex 24 makes one) and give Prometheus the same (docs/operations.md "Metrics")`,
      ]);
    expect(
      parseEnv({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', METRICS_TOKEN: token }),
    ).toMatchObject({ METRICS_HOST: '0.0.0.0', METRICS_TOKEN: token });
    // No listener, nothing to guard.
    expect(problemsOf({ METRICS_HOST: '0.0.0.0' })).toEqual([]);
    // A short token is refused without repeating it.
    expect(problemsOf({ METRICS_PORT: '9464', METRICS_TOKEN: 'short-token' })).toEqual([
      'METRICS_TOKEN must be at least 24 characters (openssl rand -hex 24 makes one) (value not shown)',
    ]);
  });

  it('sends traces of passed attempts only when TRACE_PASSED is true', () => {
    expect(parseEnv({ TRACE_PASSED: 'true' }).TRACE_PASSED).toBe(true);
    expect(problemsOf({ TRACE_PASSED: 'sometimes' })).toEqual([
      expect.stringContaining('TRACE_PASSED'),
    ]);
  });

  it("takes the station's secret from STATION_SECRET or STATION_SECRET_FILE, not both", () => {
    const secret = newStationSecret();
    expect(parseEnv({ STATION_ID: 'line-2' }).STATION_SECRET_FILE).toBe(
      '.run/station-secrets/line-2',
    );
    expect(parseEnv({ STATION_SECRET_FILE: '/etc/station/secret' }).STATION_SECRET_FILE).toBe(
      '/etc/station/secret',
    );
    expect(parseEnv({ STATION_SECRET: secret })).toMatchObject({
      STATION_SECRET: secret,
      STATION_SECRET_FILE: undefined,
    });
    expect(problemsOf({ STATION_SECRET: secret, STATION_SECRET_FILE: '/etc/s' })).toEqual([
      'STATION_SECRET_FILE cannot be set together with STATION_SECRET: give the secret one way (value not shown)',
    ]);
  });

  it('names a malformed STATION_SECRET and the fix, never repeating the value', () => {
    const typo = newStationSecret().slice(0, -1);
    const problems = problemsOf({ STATION_SECRET: typo });
    expect(problems).toEqual([
      `STATION_SECRET must be the secret an admin created for the station ("fss_" and 43 base64url characters, 46 characters given): ${ASK_FOR_CREDENTIAL} (value not shown)`,
    ]);
    expect(problems.join('\n')).not.toContain(typo);
  });

  it('flashes firmware-upgrade unless FLASH_MODE says format-all, which must write boot loaders', () => {
    expect(parseEnv({})).toMatchObject({ FLASH_MODE: 'firmware-upgrade' });
    expect(parseEnv({}).FLASH_BOOT_LOADERS).toBeUndefined();
    expect(parseEnv({ FLASH_MODE: 'format-all' }).FLASH_MODE).toBe('format-all');
    expect(parseEnv({ FLASH_BOOT_LOADERS: 'true' }).FLASH_BOOT_LOADERS).toBe(true);
    expect(problemsOf({ FLASH_MODE: 'format' })).toEqual([expect.stringContaining('FLASH_MODE')]);
    expect(problemsOf({ FLASH_MODE: 'format-all', FLASH_BOOT_LOADERS: 'false' })).toEqual([
      expect.stringContaining('erases the boot loaders'),
    ]);
  });

  it('puts the DA next to the packages unless DA_FILE names it', () => {
    expect(parseEnv({ FIRMWARE_DIR: '/srv/fw' }).DA_FILE).toBe('/srv/fw/mt6261_da.bin');
    expect(
      parseEnv({ FIRMWARE_DIR: '/srv/fw', DA_FILE: '/opt/da/MTK_AllInOne_DA.bin' }),
    ).toMatchObject({ FIRMWARE_DIR: '/srv/fw', DA_FILE: '/opt/da/MTK_AllInOne_DA.bin' });
    // Empty counts as unset (compose files write `DA_FILE=`).
    expect(parseEnv({ DA_FILE: '' }).DA_FILE).toBe('.run/firmware/mt6261_da.bin');
  });

  it('requires SERIAL_PORTS when EMULATOR=false', () => {
    expect(problemsOf({ EMULATOR: 'false' })).toEqual([
      'SERIAL_PORTS is required when EMULATOR=false: list the jig slots as 1=/dev/serial/by-path/...,2=usb-serial:<serial number>',
    ]);
  });

  it('parses SERIAL_PORTS by stable identity: by-path links (":" kept) and USB serial numbers', () => {
    const path = '/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0';
    const env = parseEnv({
      EMULATOR: '0',
      SERIAL_PORTS: `2=${path}, 1=usb-serial:A10K4XYZ`,
      SLOT_POWER: 'dtr',
      SLOT_POWER_ACTIVE_LOW: 'false',
      SLOT_POWER_PULSE_MS: '1500',
    });
    expect(env.SERIAL_PORTS).toEqual([
      { slot: 2, kind: 'path', path },
      { slot: 1, kind: 'usb-serial', serialNumber: 'A10K4XYZ' },
    ]);
    expect(env).toMatchObject({
      SLOT_POWER: 'dtr',
      SLOT_POWER_ACTIVE_LOW: false,
      SLOT_POWER_PULSE_MS: 1500,
    });
  });

  it('defaults the PWRKEY pulse to active-low held 1.2 s, and emulated slots to the jig relay', () => {
    expect(parseEnv({})).toMatchObject({
      SLOT_POWER_ACTIVE_LOW: true,
      SLOT_POWER_PULSE_MS: 1200,
      EMULATOR_POWER: 'emulator',
    });
    expect(parseEnv({ EMULATOR_POWER: 'manual' }).EMULATOR_POWER).toBe('manual');
  });

  describe('SLOT_POWER=jig (a test jig switched through its control socket)', () => {
    const ports = '1=/run/jig-a/slot-01,2=/run/jig-a/slot-02,3=/run/jig-b/slot-01';
    const real = { EMULATOR: 'false', SERIAL_PORTS: ports, SLOT_POWER: 'jig' };

    it('takes one socket for every slot, the jig numbering its slots as the station does', () => {
      const env = parseEnv({ ...real, JIG_CONTROL: '/run/jig-a/control.sock' });
      expect(env.SLOT_POWER).toBe('jig');
      expect(jigControlFor(env.JIG_CONTROL!, 3)).toEqual({
        address: '/run/jig-a/control.sock',
        slot: 3,
      });
    });

    it('maps slot ranges to several jigs, each counting its own slots from 1', () => {
      const env = parseEnv({
        ...real,
        JIG_CONTROL: '1-2=/run/jig-a/control.sock, 3-3=/run/jig-b/control.sock',
      });
      expect(jigControlFor(env.JIG_CONTROL!, 2)).toEqual({
        address: '/run/jig-a/control.sock',
        slot: 2,
      });
      expect(jigControlFor(env.JIG_CONTROL!, 3)).toEqual({
        address: '/run/jig-b/control.sock',
        slot: 1,
      });
      expect(jigControlFor(env.JIG_CONTROL!, 4)).toBeUndefined();
    });

    it('requires JIG_CONTROL, naming the form it takes', () => {
      expect(problemsOf(real)).toEqual([
        "JIG_CONTROL is required when SLOT_POWER=jig: the jig's control socket (e.g. /run/jig/control.sock, or 1-64=/run/jig-a/control.sock,65-128=/run/jig-b/control.sock)",
      ]);
    });

    it('names the slots of SERIAL_PORTS no range covers, and overlapping or malformed ranges', () => {
      expect(problemsOf({ ...real, JIG_CONTROL: '1-1=/run/a.sock' })).toEqual([
        'JIG_CONTROL names no control socket for slots 2, 3 of SERIAL_PORTS: add a range that covers them (got "1-1=/run/a.sock")',
      ]);
      const value = '1-2=/run/a.sock,2-3=/run/b.sock,4=/run/c.sock,5-4=/run/d.sock';
      expect(problemsOf({ ...real, JIG_CONTROL: value })).toEqual([
        `JIG_CONTROL slots 2-3 overlap 1-2: a slot has one jig (got "${value}")`,
        `JIG_CONTROL entry "4=/run/c.sock" must look like <first slot>-<last slot>=<control socket> (got "${value}")`,
        `JIG_CONTROL entry "5-4=/run/d.sock": slots must run upwards within 1-256 (got "${value}")`,
      ]);
    });

    it('refuses JIG_CONTROL where it would be ignored', () => {
      expect(
        problemsOf({ ...real, SLOT_POWER: 'dtr', JIG_CONTROL: '/run/jig/control.sock' }),
      ).toEqual([
        'JIG_CONTROL is only read with SLOT_POWER=jig (SLOT_POWER is dtr): set SLOT_POWER=jig or remove JIG_CONTROL (got "/run/jig/control.sock")',
      ]);
      expect(problemsOf({ JIG_CONTROL: '/run/jig/control.sock' })).toEqual([
        'JIG_CONTROL is only for EMULATOR=false with SLOT_POWER=jig (an in-process emulated jig is switched through its own socket) (got "/run/jig/control.sock")',
      ]);
    });
  });

  it('refuses a plug-order ttyUSBn name, saying what to use instead', () => {
    const value = '1=/dev/ttyUSB0,2=/dev/ttyACM3';
    expect(problemsOf({ EMULATOR: 'false', SERIAL_PORTS: value })).toEqual([
      `SERIAL_PORTS slot 1 names /dev/ttyUSB0, which changes with plug order: use its /dev/serial/by-path/… link or usb-serial:<serial number> (docs/station.md "Slots and adapters") (got "${value}")`,
      `SERIAL_PORTS slot 2 names /dev/ttyACM3, which changes with plug order: use its /dev/serial/by-path/… link or usb-serial:<serial number> (docs/station.md "Slots and adapters") (got "${value}")`,
    ]);
  });

  it('says which SERIAL_PORTS entry is wrong and why', () => {
    const value =
      'x=/dev/a,1=dev/b,2=/dev/c,2=/dev/d,3=/dev/c,4=usb-serial:,5=usb-serial:S1,6=usb-serial:S1';
    expect(problemsOf({ EMULATOR: 'no', SERIAL_PORTS: value })).toEqual([
      `SERIAL_PORTS entry "x=/dev/a" must look like <slot 1-256>=<by-path link or usb-serial:<serial number>> (got "${value}")`,
      `SERIAL_PORTS slot 1 adapter "dev/b" must be an absolute path or usb-serial:<serial number> (got "${value}")`,
      `SERIAL_PORTS slot 2 is listed twice (got "${value}")`,
      `SERIAL_PORTS /dev/c is given to two slots (got "${value}")`,
      `SERIAL_PORTS slot 4 names usb-serial: without a serial number (got "${value}")`,
      `SERIAL_PORTS usb-serial:S1 is given to two slots (got "${value}")`,
    ]);
  });

  it('rejects a station id unusable as a queue name, and bad numbers and booleans', () => {
    expect(problemsOf({ STATION_ID: 'line:1', EMULATOR_SLOTS: '0', EMULATOR: 'sure' })).toEqual([
      'STATION_ID must be 1-64 letters, digits, "-" or "_", starting with a letter or digit (got "line:1")',
      'EMULATOR must be true or false (got "sure")',
      'EMULATOR_SLOTS must be at least 1 (got "0")',
    ]);
  });

  it('keeps the heartbeat TTL at least twice the refresh interval', () => {
    expect(problemsOf({ HEARTBEAT_INTERVAL_MS: '1000', HEARTBEAT_TTL_MS: '1500' })).toEqual([
      'HEARTBEAT_TTL_MS must be at least twice HEARTBEAT_INTERVAL_MS (1000), or one late refresh drops the station (got "1500")',
    ]);
  });

  it('reports every problem as invalid station configuration', () => {
    expect(() => parseEnv({ EMULATOR_SLOTS: 'many' })).toThrow(
      'Invalid station configuration:\n  - EMULATOR_SLOTS must be a number (got "many")',
    );
  });
});
