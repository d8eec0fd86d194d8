// After the attempts: the bad slots marked suspect with their evidence, as attribution would
// have left them (docs/station.md "Attribution"); the per-unit per-shift roll-up; then VACUUM
// ANALYZE, as autovacuum would do to an insert-only table in time: planner statistics, and the
// visibility map that lets the partial indexes answer without reading the table.
import type pg from 'pg';
import { BAD_SLOTS, SLOTS_PER_STATION } from './seed-plan';
import { stationCode } from './seed-reference';

export async function finishLine(client: pg.Client, log: (line: string) => void): Promise<void> {
  for (const n of BAD_SLOTS.keys()) {
    const station = stationCode(Math.floor((n - 1) / SLOTS_PER_STATION));
    const index = (n - 1) % SLOTS_PER_STATION;
    await client.query(
      `WITH slot AS (
         SELECT sl.id FROM slots sl JOIN stations s ON s.id = sl.station_id
         WHERE s.code = $1 AND sl.index = $2),
       evidence AS (
         SELECT array_agg(id ORDER BY started_at) AS ids, max(ended_at) AS at FROM (
           SELECT id, started_at, ended_at FROM flash_attempts
           WHERE slot_id = (SELECT id FROM slot) AND outcome = 'failed'
           ORDER BY started_at DESC LIMIT 5) last_failures),
       marked AS (
         UPDATE slots SET status = 'suspect', updated_at = (SELECT at FROM evidence),
                status_reason = 'Its failures rose while its neighbours passed.'
         WHERE id = (SELECT id FROM slot) RETURNING id)
       INSERT INTO attribution_decisions (id, kind, slot_id, reason, evidence_attempt_ids, decided_at)
       SELECT gen_random_uuid(), 'slot.suspect', marked.id, 'Its failures rose while its neighbours passed.',
              evidence.ids, evidence.at
       FROM marked, evidence WHERE evidence.ids IS NOT NULL`,
      [station, index],
    );
  }
  // The seed wrote its attempts as a replica (no triggers), so the roll-up is built once here,
  // with the shift definition the migrations left (docs/analytics.md "Roll-up").
  log('unit_shifts roll-up…');
  await client.query(
    'SELECT unit_shifts_rebuild(time_zone, shifts) FROM unit_shift_definition WHERE id = 1',
  );
  log('vacuum analyze…');
  await client.query('VACUUM ANALYZE');
}
