// Event-loop time a job spends on its firmware package and DA (#12 §5): read, parse and hash
// every job (readStationPackage / readStationDa, what each job did before) versus StationFiles,
// which keeps them while the files are unchanged. Package of MC60 size (about 2.6 MiB).
// Usage: npx tsx scripts/bench/speed-package.ts [--jobs 20] [--rom-kib 2560] [--viva-kib 512]
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { makeSyntheticDa, makeSyntheticPackage } from '@station/mtk';
import { readStationDa, readStationPackage } from '../../apps/station/src/jobs/firmware-store';
import { StationFiles } from '../../apps/station/src/jobs/station-files';
import { formatTable, isMain, median, numberArg, withTempDir, type Row } from './lib/bench-util';

const ID = 'bench-pkg';

type ReadJobFiles = (root: string, da: string) => Promise<unknown>;

async function perJob(read: ReadJobFiles, root: string, da: string, jobs: number) {
  const blocked: number[] = [];
  const took: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 1 });
  for (let i = 0; i < jobs; i++) {
    loop.reset();
    loop.enable();
    const start = performance.now();
    await read(root, da);
    took.push(performance.now() - start);
    await sleep(5); // lets the histogram see the delay the read caused
    loop.disable();
    blocked.push(loop.max / 1e6);
  }
  return { blocked, took };
}

export async function packageRows(jobs: number, romKib: number, vivaKib: number): Promise<Row[]> {
  return withTempDir('speed-package-', async (root) => {
    const demo = makeSyntheticPackage({
      revision: 'MC60CAR01A13',
      romSize: romKib * 1024,
      vivaSize: vivaKib * 1024,
    });
    await mkdir(join(root, ID));
    await writeFile(join(root, ID, demo.cfgName), demo.cfgText);
    for (const [name, data] of Object.entries(demo.files))
      await writeFile(join(root, ID, name), data);
    const da = join(root, 'da.bin');
    await writeFile(da, makeSyntheticDa());
    await sleep(2100); // past StationFiles' racy window, as a package copied earlier is
    const files = new StationFiles();
    const ways: [string, ReadJobFiles][] = [
      ['read-every-job', (r, d) => Promise.all([readStationPackage(r, ID), readStationDa(d)])],
      ['StationFiles', (r, d) => Promise.all([files.readPackage(r, ID), files.readDa(d)])],
    ];
    const rows: Row[] = [];
    for (const [way, read] of ways) {
      const { blocked, took } = await perJob(read, root, da, jobs);
      const fmt = (v: number) => Number(v.toFixed(2));
      rows.push({
        way,
        jobs,
        packageKiB: romKib + vivaKib,
        loopDelayMaxP50Ms: fmt(median(blocked)),
        loopDelayMaxMs: fmt(Math.max(...blocked)),
        readP50Ms: fmt(median(took)),
        firstJobMs: fmt(took[0]!),
      });
    }
    return rows;
  });
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const rows = await packageRows(
    numberArg(args, 'jobs', 20),
    numberArg(args, 'rom-kib', 2560),
    numberArg(args, 'viva-kib', 512),
  );
  console.log(formatTable(rows));
}
