// Scan → 202 under a burst (#12 §5): N slots scanned at once through the real server, against a
// real registered station of N slots (the server and station agent as processes, reliability's
// line), each round's jobs flashed to their results before the next burst. What is timed is the
// operator's wait at the jig: POST /api/flash-jobs → its 202. The package is small (16 KiB +
// 8 KiB by default): the flash itself is not measured, only the server's scan handling.
// Before vs after: run the same script from a worktree of each commit, interleaved (docs/
// speed-work.md §8). Prints one row per round and one summary row per slot count.
// Usage: npx tsx scripts/bench/scan-burst.ts [--slots 16,64,128] [--rounds 3] [--rom-kib 16
//        --viva-kib 8] [--timeout-s 600]
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { makeSyntheticDa, makeSyntheticPackage } from '@station/mtk';
import { startLine } from '../../reliability/support/line';
import { formatTable, isMain, listArg, numberArg, withTempDir, type Row } from './lib/bench-util';
import { finalResult, scanSlot } from './lib/line-scan';
import { percentile } from './lib/stats';

export interface ScanBurstOptions {
  slotCounts: number[];
  rounds: number;
  romBytes: number;
  vivaBytes: number;
  /** Deadline for one round's flashes to end (ms). */
  timeoutMs: number;
}

const PACKAGE_ID = 'bench-scan-burst';

async function writePackage(firmwareDir: string, romBytes: number, vivaBytes: number) {
  const pkg = makeSyntheticPackage({
    revision: 'SCANBURST01',
    romSize: romBytes,
    vivaSize: vivaBytes,
  });
  const dir = join(firmwareDir, PACKAGE_ID);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, pkg.cfgName), pkg.cfgText);
  for (const [name, data] of Object.entries(pkg.files)) await writeFile(join(dir, name), data);
  await writeFile(join(firmwareDir, 'mt6261_da.bin'), makeSyntheticDa());
}

const r = (v: number) => Math.round(v);

async function burstRounds(slots: number, options: ScanBurstOptions): Promise<Row[]> {
  return withTempDir('scan-burst-', async (dir) => {
    const firmwareDir = join(dir, 'firmware');
    await writePackage(firmwareDir, options.romBytes, options.vivaBytes);
    const line = await startLine({ slots, stationEnv: { FIRMWARE_DIR: firmwareDir } });
    const rows: Row[] = [];
    const all: number[] = [];
    try {
      for (let round = 1; round <= options.rounds; round++) {
        const load = loadavg()[0]!.toFixed(1);
        const scans = await Promise.all(
          Array.from({ length: slots }, (_, i) => scanSlot(line, i + 1, { packageId: PACKAGE_ID })),
        );
        const ms = scans.map((s) => s.answeredAt - s.sentAt);
        all.push(...ms);
        // The next burst needs every slot free: each flash ends (pass or not) before it.
        const results = await Promise.all(
          scans.map(async (s) => (await finalResult(line, s.attemptId, options.timeoutMs)).result),
        );
        const notPassed = results.filter((res) => res.outcome !== 'passed');
        rows.push({
          slots,
          round,
          load1m: load,
          scanTo202P50: r(percentile(ms, 50)),
          scanTo202P95: r(percentile(ms, 95)),
          scanTo202Max: r(Math.max(...ms)),
          flashesNotPassed: notPassed.length
            ? `${notPassed.length}: ${notPassed[0]!.outcome} ${notPassed[0]!.errorName ?? ''} at ${notPassed[0]!.stage}`
            : 0,
        });
        console.error(`scan-burst ${JSON.stringify(rows.at(-1))}`);
      }
    } finally {
      await line.dispose();
    }
    rows.push({
      slots,
      round: 'all',
      load1m: '',
      scanTo202P50: r(percentile(all, 50)),
      scanTo202P95: r(percentile(all, 95)),
      scanTo202Max: r(Math.max(...all)),
      flashesNotPassed: '',
    });
    return rows;
  });
}

/** Rows per round and per slot count; a slot count that throws is a FAILED row with its reason. */
export async function measureScanBurst(options: ScanBurstOptions): Promise<Row[]> {
  const rows: Row[] = [];
  for (const slots of options.slotCounts) {
    try {
      rows.push(...(await burstRounds(slots, options)));
    } catch (error) {
      rows.push({
        slots,
        round: 'FAILED',
        load1m: '',
        scanTo202P50: `FAILED: ${(error as Error).message ?? String(error)}`.slice(0, 300),
        scanTo202P95: '—',
        scanTo202Max: '—',
        flashesNotPassed: '—',
      });
    }
  }
  return rows;
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const rows = await measureScanBurst({
    slotCounts: listArg(args, 'slots', [16, 64, 128]),
    rounds: numberArg(args, 'rounds', 3),
    romBytes: numberArg(args, 'rom-kib', 16) * 1024,
    vivaBytes: numberArg(args, 'viva-kib', 8) * 1024,
    timeoutMs: numberArg(args, 'timeout-s', 600) * 1000,
  });
  console.log(formatTable(rows));
  if (rows.some((row) => row.round === 'FAILED')) process.exitCode = 1;
}
