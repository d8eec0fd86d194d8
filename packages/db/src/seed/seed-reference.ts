// The line a synthetic history happens on: stations with their slots and adapters, operators,
// firmware packages and their activations, written once before the attempts; and the session's
// temporary lookup tables (seed_slot, seed_pkg, seed_op, seed_failure) the attempt SQL joins.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import {
  BAD_SLOTS,
  BASE_FAIL_RATE,
  OPERATORS,
  PACKAGES,
  SLOTS_PER_STATION,
  STAGES,
  STATIONS,
  type SeedCatalogue,
} from './seed-plan';

export const stationCode = (n: number) => `line1-jig${n + 1}`;

const FIRST_NAMES = ['anna', 'ben', 'chen', 'dara', 'emre', 'fatou', 'goran', 'hana', 'ivo'];

async function insertStations(client: pg.Client, firstDay: Date): Promise<void> {
  await client.query(
    `INSERT INTO stations (id, code, name, hostname, created_at, updated_at)
     SELECT gen_random_uuid(), 'line1-jig' || (n + 1), 'Line 1 jig ' || (n + 1), 'jig-pc-' || (n + 1), $1, $1
     FROM generate_series(0, $2 - 1) n`,
    [firstDay, STATIONS],
  );
  await client.query(
    `INSERT INTO slots (id, station_id, index, label, power_control, created_at, updated_at)
     SELECT gen_random_uuid(), s.id, i, 'S' || lpad((i + 1)::text, 2, '0'), 'dtr', $1, $1
     FROM stations s, generate_series(0, $2 - 1) i WHERE s.code LIKE 'line1-jig%'`,
    [firstDay, SLOTS_PER_STATION],
  );
  // One FTDI adapter per slot, bound since the first day.
  const serial = `'FT-' || s.code || '-' || sl.index`;
  const lineSlots = `slots sl JOIN stations s ON s.id = sl.station_id WHERE s.code LIKE 'line1-jig%'`;
  await client.query(
    `INSERT INTO adapters (id, identity, serial_number, vendor_id, product_id, description, created_at)
     SELECT gen_random_uuid(), 'usb-serial:' || ${serial}, ${serial}, '0403', '6001', 'FT232R USB UART', $1
     FROM ${lineSlots}`,
    [firstDay],
  );
  await client.query(
    `INSERT INTO adapter_bindings (id, slot_id, adapter_id, bound_at)
     SELECT gen_random_uuid(), sl.id, a.id, $1 FROM slots sl JOIN stations s ON s.id = sl.station_id
     JOIN adapters a ON a.serial_number = ${serial} WHERE s.code LIKE 'line1-jig%'`,
    [firstDay],
  );
}

async function insertOperators(client: pg.Client, firstDay: Date): Promise<void> {
  const names = Array.from(
    { length: OPERATORS },
    (_, i) => `${FIRST_NAMES[i % FIRST_NAMES.length]}${i >= FIRST_NAMES.length ? '2' : ''}`,
  );
  await client.query(
    `INSERT INTO users (id, username, display_name, role, created_at, updated_at)
     SELECT gen_random_uuid(), 'op-' || name, initcap(name), 'operator', $2, $2 FROM unnest($1::text[]) name
     ON CONFLICT (username) DO NOTHING`,
    [names, firstDay],
  );
  await client.query(
    `CREATE TEMP TABLE seed_op AS
     SELECT (n - 1)::int AS n, u.id AS user_id
     FROM unnest($1::text[]) WITH ORDINALITY AS x(name, n) JOIN users u ON u.username = 'op-' || x.name`,
    [names],
  );
}

/** Package i is active on every station from day i·days/3, a station an hour after the last. */
async function insertPackages(client: pg.Client, firstDay: Date, days: number): Promise<void> {
  await client.query(`CREATE TEMP TABLE seed_pkg (
    station_n int, pkg_n int, package_id uuid, revision text, bytes bigint, fail_factor float8,
    from_ts timestamptz, to_ts timestamptz)`);
  for (const [p, pkg] of PACKAGES.entries()) {
    const digest = createHash('sha256').update(`seed ${pkg.name} ${pkg.revision}`).digest('hex');
    const switchDay = new Date(
      firstDay.getTime() + Math.floor((p * days) / PACKAGES.length) * 86_400_000,
    );
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO firmware_packages (id, digest, name, revision, platform, allowed_flash_ids, created_at)
       VALUES (gen_random_uuid(), $1, $2, $3, 'MT2503', ARRAY['C22017'], $4) RETURNING id`,
      [digest, pkg.name, pkg.revision, switchDay],
    );
    for (let s = 0; s < STATIONS; s += 1) {
      // The first package is active from the start; later ones at 06:00 + one hour per station.
      const from = p === 0 ? new Date(0) : new Date(switchDay.getTime() + (6 + s) * 3_600_000);
      await client.query(
        `INSERT INTO firmware_activations (package_id, station_id, activated_by_label, activated_at)
         SELECT $1, id, 'system:seed', $3 FROM stations WHERE code = $2`,
        [rows[0]!.id, stationCode(s), p === 0 ? firstDay : from],
      );
      await client.query(`INSERT INTO seed_pkg VALUES ($1, $2, $3, $4, $5, $6, $7, 'infinity')`, [
        s,
        p,
        rows[0]!.id,
        pkg.revision,
        pkg.romBytes,
        pkg.failFactor,
        from,
      ]);
    }
  }
  // Each package row ends where the station's next one starts.
  await client.query(`UPDATE seed_pkg p SET to_ts = n.from_ts FROM seed_pkg n
                      WHERE n.station_n = p.station_n AND n.pkg_n = p.pkg_n + 1`);
}

async function slotTable(client: pg.Client): Promise<void> {
  await client.query(
    `CREATE TEMP TABLE seed_slot AS
     SELECT (s.n * $1 + sl.index + 1)::int AS n, sl.id AS slot_id, st.id AS station_id,
            s.n AS station_n, sl.index AS slot_index, b.adapter_id,
            coalesce((SELECT r FROM unnest($2::int[], $3::float8[]) AS bad(k, r)
                      WHERE k = s.n * $1 + sl.index + 1), $4::float8) AS fail_rate
     FROM stations st
     JOIN (SELECT n, 'line1-jig' || (n + 1) AS code FROM generate_series(0, $5 - 1) n) s ON s.code = st.code
     JOIN slots sl ON sl.station_id = st.id
     JOIN adapter_bindings b ON b.slot_id = sl.id AND b.unbound_at IS NULL`,
    [SLOTS_PER_STATION, [...BAD_SLOTS.keys()], [...BAD_SLOTS.values()], BASE_FAIL_RATE, STATIONS],
  );
}

async function failureTable(client: pg.Client, catalogue: SeedCatalogue): Promise<void> {
  const all = [...catalogue.failures, catalogue.canceled];
  await client.query(
    `CREATE TEMP TABLE seed_failure AS
     SELECT (n - 1)::int AS n, code, name, stage::flash_stage AS stage,
            array_position($7::text[], stage) AS stage_n, retry, operator_hint, engineer_hint
     FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
          WITH ORDINALITY AS f(code, name, stage, retry, operator_hint, engineer_hint, n)`,
    [
      all.map((f) => f.code),
      all.map((f) => f.name),
      all.map((f) => f.stage),
      all.map((f) => f.retry),
      all.map((f) => f.operatorHint),
      all.map((f) => f.engineerHint),
      [...STAGES],
    ],
  );
}

/** Writes the line's reference rows and the session's lookup tables. */
export async function seedReference(
  client: pg.Client,
  catalogue: SeedCatalogue,
  firstDay: Date,
  days: number,
): Promise<void> {
  await insertStations(client, firstDay);
  await insertOperators(client, firstDay);
  await insertPackages(client, firstDay, days);
  await slotTable(client);
  await failureTable(client, catalogue);
  await client.query('ANALYZE seed_op, seed_pkg, seed_slot, seed_failure');
}
