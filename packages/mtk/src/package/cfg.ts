import { parse as parseYaml } from 'yaml';
import type { JedecId } from '../da/flash-table';
import { imageNameProblem } from './image-names';
import { packageError } from './package-error';

/** What a QFlash-style `.cfg` (YAML, reference §4.1) says about a package. */
export interface PackageCfg {
  /** The chip the cfg names (upper case); '' when general.platform is blank (vendors ship that). */
  platform: string;
  configVersion: string;
  bootFiles: string[];
  mainFiles: string[];
  /** Allowed SF flash JEDEC ids (external_memory flash_info, first 3 bytes of flash_id). */
  flashIds: JedecId[];
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(message: string): never {
  throw packageError('INVALID_CFG_FILE', message);
}

/**
 * What vendors' hand-edited cfgs hold that YAML refuses but MediaTek's line-based reader takes:
 * tabs, and `key:value` without a space.
 */
function tolerate(text: string): string {
  return text.replace(/\t/g, '    ').replace(/^(\s*[A-Za-z_][A-Za-z0-9_]*):(?=[^\s:])/gm, '$1: ');
}

export function parseCfg(text: string, name = 'package.cfg'): PackageCfg {
  let doc: unknown;
  try {
    doc = parseYaml(tolerate(text));
  } catch (error) {
    fail(
      `${name}: not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
  if (!isObj(doc)) fail(`${name}: expected a YAML mapping with general/main_region sections`);
  const general = doc['general'];
  if (!isObj(general)) fail(`${name}: missing "general" section`);
  // Blank is accepted as MediaTek's tool accepts it: the ROM names its chip (firmware-package.ts).
  const platform = general['platform'] ?? '';
  if (typeof platform !== 'string' || (platform.trim() !== '' && !/^MT\d{4}/i.test(platform)))
    fail(`${name}: general.platform must be blank or name a MediaTek chip such as MT6261`);

  const mainFiles = romFiles(doc, 'main_region', name);
  if (mainFiles.length === 0) fail(`${name}: main_region.rom lists no files`);
  return {
    platform: platform.trim().toUpperCase(),
    configVersion: String(general['config_version'] ?? ''),
    bootFiles: doc['boot_region'] === undefined ? [] : romFiles(doc, 'boot_region', name),
    mainFiles,
    flashIds: flashIds(doc, name),
  };
}

function romFiles(doc: Obj, section: string, name: string): string[] {
  const region = doc[section];
  if (!isObj(region)) fail(`${name}: missing "${section}" section`);
  const rom = region['rom'];
  if (rom === null || rom === undefined) return [];
  if (!Array.isArray(rom)) fail(`${name}: ${section}.rom must be a list of "- file: NAME" entries`);
  return rom.map((entry, i) => {
    const file = isObj(entry) ? entry['file'] : undefined;
    if (typeof file !== 'string' || file.trim() === '')
      fail(`${name}: ${section}.rom[${i}] has no "file" name`);
    const problem = imageNameProblem(file);
    if (problem) fail(`${name}: ${section}.rom[${i}] file "${file}" ${problem}`);
    return file.trim();
  });
}

function flashIds(doc: Obj, name: string): JedecId[] {
  const external = doc['external_memory'];
  if (external === undefined || external === null) return [];
  if (!isObj(external)) fail(`${name}: external_memory must be a mapping`);
  const params = external['parameters'];
  if (params === undefined || params === null) return [];
  if (!Array.isArray(params)) fail(`${name}: external_memory.parameters must be a list`);
  return params.map((entry, i) => {
    const info = isObj(entry) ? entry['flash_info'] : undefined;
    if (!isObj(info)) fail(`${name}: external_memory.parameters[${i}] has no flash_info`);
    const id = info['flash_id'];
    const length = info['id_length'] ?? 3;
    if (
      !Array.isArray(id) ||
      id.length < 3 ||
      !id.every((b) => Number.isInteger(b) && b >= 0 && b <= 0xff)
    ) {
      fail(`${name}: external_memory.parameters[${i}].flash_info.flash_id must be a list of bytes`);
    }
    if (length !== 3)
      fail(
        `${name}: external_memory.parameters[${i}]: id_length ${String(length)} is not supported (SF ids are 3 bytes)`,
      );
    return {
      manufacturer: id[0] as number,
      memoryType: id[1] as number,
      capacity: id[2] as number,
    };
  });
}

/** Renders a cfg in QFlash's layout (used by the synthetic generator). */
export function renderCfg(cfg: Omit<PackageCfg, 'configVersion'>): string {
  const list = (files: string[]): string =>
    files.length === 0 ? '' : files.map((f) => `    - file: ${f}\n`).join('');
  const id = (j: JedecId): string =>
    `[${[j.manufacturer, j.memoryType, j.capacity, 0, 0, 0, 0, 0].map((b) => '0x' + b.toString(16).toUpperCase().padStart(2, '0')).join(', ')}]`;
  return [
    'general:',
    '    config_version : alpha',
    `    platform: ${cfg.platform}`,
    '',
    'boot_region:',
    '  alignment: block',
    '  rom:',
    list(cfg.bootFiles),
    'control_block_region:',
    '  rom:',
    '',
    'main_region:',
    '  alignment: block',
    '  rom:',
    list(cfg.mainFiles),
    'file_system_region:',
    '  rom:',
    '',
    'external_memory:',
    '    parameters_version: v1',
    '    parameters:',
    ...cfg.flashIds.map(
      (j) =>
        `      - flash_info:\n            flash_type: SF\n            id_length: 3\n            flash_id:  ${id(j)}\n        memory_type: PSRAM_130MHz\n        EMI_Setting:\n`,
    ),
    '',
  ].join('\n');
}
