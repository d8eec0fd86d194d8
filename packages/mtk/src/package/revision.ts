import { readRomInfo, type RomInfo } from './rom-info';

// Revision of a firmware from its ROM image (docs/protocol.md "Package: revision"). A build name
// looks like `<project>_<board>_<platform>_S00.<version>.bin`, e.g.
//   QUECTEL03D_M2M_11C_PCB01_gprs_MT6261_S00.MC60CAR01A03_BETA0628.bin   (Quectel)
//   SEEED02A_DEMO_PCB01_gprs_MT2502_S00.MAUI_11CW1418SP5_W15_19.bin      (plain MAUI)

export type RevisionRule = 'quectel' | 'maui-rominfo' | 'maui-build-name' | 'build-name';

export interface RomRevision {
  revision: string;
  rule: RevisionRule;
  buildName: string | undefined;
  romInfo: RomInfo | undefined;
}

/** Quectel's own revision token: model letters/digits, `R<nn>A<nn>`, e.g. MC60CAR01A12. */
const QUECTEL_REVISION = /^[A-Z][A-Z0-9]*R\d{2}A\d{2}[A-Z0-9]*$/i;

/** The dot segment before `.bin` (any case): the build's version. */
export function versionSegment(buildName: string): string | undefined {
  const parts = buildName.split('.');
  if (parts.length < 3 || parts[parts.length - 1]!.toLowerCase() !== 'bin') return undefined;
  const segment = parts[parts.length - 2]!;
  return segment.length > 0 ? segment : undefined;
}

/**
 * The Quectel rule: the version segment's first underscore word when it is a Quectel revision
 * (`MC60CAR01A03_BETA0628` → `MC60CAR01A03`); undefined for any other build.
 */
export function quectelRevision(buildName: string): string | undefined {
  const word = versionSegment(buildName)?.split('_')[0];
  return word !== undefined && QUECTEL_REVISION.test(word) ? word.toUpperCase() : undefined;
}

/**
 * Revision from a build name alone: the Quectel rule, else a whole MAUI version
 * (`MAUI_11CW1418SP5_W15_19`, never just "MAUI"), else the version's first underscore word.
 */
export function revisionFromBuildName(buildName: string): string | undefined {
  const quectel = quectelRevision(buildName);
  if (quectel) return quectel;
  const segment = versionSegment(buildName);
  if (segment === undefined) return undefined;
  if (/^MAUI(_|$)/i.test(segment)) return segment;
  return segment.split('_')[0] || undefined;
}

/**
 * Revision of a ROM image: from its MTK_ROMINFO block when it has one (Quectel rule on the build
 * name, else the block's version field), else from the build name in its first 4 KiB.
 */
export function readRomRevision(rom: Uint8Array): RomRevision | undefined {
  const romInfo = readRomInfo(rom);
  const buildName = romInfo?.buildName || findBuildName(rom.subarray(0, 4096));
  const quectel = buildName === undefined ? undefined : quectelRevision(buildName);
  if (quectel) return { revision: quectel, rule: 'quectel', buildName, romInfo };
  if (romInfo && romInfo.project.length > 0)
    return { revision: romInfo.project, rule: 'maui-rominfo', buildName, romInfo };
  const fromName = buildName === undefined ? undefined : revisionFromBuildName(buildName);
  if (fromName === undefined) return undefined;
  const rule = /^MAUI/i.test(fromName) ? 'maui-build-name' : 'build-name';
  return { revision: fromName, rule, buildName, romInfo };
}

export function revisionFromRom(rom: Uint8Array): string | undefined {
  return readRomRevision(rom)?.revision;
}

/** First NUL-terminated printable string of the form `<name>.<version>.bin`. */
function findBuildName(bytes: Uint8Array): string | undefined {
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x20 && b < 0x7f) continue;
    if (b === 0 && i - start >= 5) {
      const text = String.fromCharCode(...bytes.subarray(start, i));
      if (versionSegment(text) !== undefined) return text;
    }
    start = i + 1;
  }
  return undefined;
}
