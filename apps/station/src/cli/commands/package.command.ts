import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  describePackage,
  isFlashError,
  makeSyntheticDa,
  makeSyntheticPackage,
  makeSyntheticSplitDa,
} from '@station/mtk';
import type { Command } from 'commander';
import { readPackage } from '../flash/disk';
import { printFailure } from '../flash/report';

export function registerPackageCommand(program: Command): void {
  const pkg = program
    .command('package')
    .description('Inspect firmware packages or make a synthetic demo package');

  pkg
    .command('inspect <cfg>')
    .description('Check a .cfg package and show its images, revision and allowed flash ids')
    .option('--json', 'print one JSON object')
    .action(async (cfg: string, options: { json?: boolean }) => {
      try {
        const info = describePackage(await readPackage(cfg));
        process.stdout.write(
          options.json ? `${JSON.stringify({ ok: true, ...info })}\n` : `${formatInfo(info)}\n`,
        );
      } catch (error) {
        if (!isFlashError(error)) throw error;
        printFailure(error, options.json);
      }
    });

  pkg
    .command('make-demo')
    .description(
      'Write a synthetic package (cfg, boot loader, ROM, VIVA) and a synthetic DA (never vendor files)',
    )
    .requiredOption('--out <dir>', 'output directory')
    .requiredOption('--revision <rev>', 'firmware revision, e.g. MC60CAR01A13')
    .option('--rom-size <bytes>', 'ROM image size', String(96 * 1024))
    .option('--viva-size <bytes>', 'VIVA image size', String(24 * 1024))
    .option(
      '--da-format <format>',
      'raw (mt6261_da.bin), allinone (MTK_AllInOne_DA.bin) or split (Download_Agent/ with INT_SYSRAM, EXT_RAM, NOR_FLASH_TABLE)',
      'raw',
    )
    .action(
      async (options: {
        out: string;
        revision: string;
        romSize: string;
        vivaSize: string;
        daFormat: string;
      }) => {
        const daFormat = options.daFormat;
        if (daFormat !== 'raw' && daFormat !== 'allinone' && daFormat !== 'split') {
          process.stderr.write(`--da-format must be raw, allinone or split, got "${daFormat}"\n`);
          process.exitCode = 2;
          return;
        }
        const synthetic = makeSyntheticPackage({
          revision: options.revision,
          romSize: Number(options.romSize),
          vivaSize: Number(options.vivaSize),
        });
        await mkdir(options.out, { recursive: true });
        await writeFile(join(options.out, synthetic.cfgName), synthetic.cfgText);
        for (const [name, data] of Object.entries(synthetic.files))
          await writeFile(join(options.out, name), data);
        const daName = {
          raw: 'mt6261_da.bin',
          allinone: 'MTK_AllInOne_DA.bin',
          split: 'Download_Agent',
        }[daFormat];
        if (daFormat === 'split') {
          await mkdir(join(options.out, daName), { recursive: true });
          for (const [part, data] of Object.entries(makeSyntheticSplitDa()))
            await writeFile(join(options.out, daName, part), data);
        } else {
          await writeFile(join(options.out, daName), makeSyntheticDa({ format: daFormat }));
        }
        process.stdout.write(
          `${join(options.out, synthetic.cfgName)}\n${join(options.out, daName)}\n`,
        );
      },
    );
}

function formatInfo(info: Record<string, unknown>): string {
  const images = info['images'] as Array<Record<string, unknown>>;
  const platformFrom =
    info['platformSource'] === 'rom'
      ? ' (from the ROM: the cfg leaves general.platform blank)'
      : '';
  const rule = RULE_TEXT[String(info['revisionRule'])] ?? '';
  return [
    `platform  ${String(info['platform'])}${platformFrom}`,
    `revision  ${String(info['revision'])}${rule}`,
    ...(info['buildName'] ? [`build     ${String(info['buildName'])}`] : []),
    `flash ids ${(info['flashIds'] as string[]).join(', ') || '(any)'}`,
    ...images.map(
      (i) =>
        `image     ${String(i['name']).padEnd(8)} type ${String(i['type'])} at ${String(i['flashOffset'])} ${String(i['length'])} B` +
        (i['file'] !== i['name'] ? ` (file ${String(i['file'])})` : ''),
    ),
  ].join('\n');
}

const RULE_TEXT: Record<string, string> = {
  quectel: ' (Quectel revision in the build name)',
  'maui-rominfo': " (version field of the ROM's MTK_ROMINFO)",
  'maui-build-name': ' (MAUI version in the build name)',
  'build-name': ' (build name)',
};
