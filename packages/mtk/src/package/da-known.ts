// Public Download Agent files whose SHA-256 we know (docs/protocol.md "Known DA files"). Only the
// digests live here, never the files. A file of exactly a known size but another digest is a
// damaged copy, which is worth saying before a module is blamed for a DA that never syncs.
import { createHash } from 'node:crypto';
import { packageError } from './package-error';

export interface KnownDaFile {
  /** Where the file is published. */
  source: string;
  name: string;
  size: number;
  sha256: string;
}

export const KNOWN_DA_FILES: readonly KnownDaFile[] = [
  {
    source: 'waybyte/tool-pymtkflasher',
    name: 'mt6261_da.bin',
    size: 141816,
    sha256: '502106c09850c0e203e8f30f0c3c366262efb6410ace53156626a2827ae86aa2',
  },
  {
    source: 'loboris/RePhone_on_Linux (Download_Agent/6261)',
    name: 'INT_SYSRAM',
    size: 1344,
    sha256: '969b5586a3a90924936626d538d1b5e878dd2c786f03e829cc58b450d7e0739c',
  },
  {
    source: 'loboris/RePhone_on_Linux (Download_Agent/6261)',
    name: 'EXT_RAM',
    size: 123660,
    sha256: '11a9c7c0cc2661015b20c78d93be8d64df1680846ec65e1036380fc0edb0b5a1',
  },
  {
    source: 'loboris/RePhone_on_Linux (Download_Agent/6261)',
    name: 'NOR_FLASH_TABLE',
    size: 9324,
    sha256: 'da29e6c6a22e0be537e4bb1162758a146ceeb1095e2a88c38005dfd4f16ce468',
  },
];

export const sha256Hex = (data: Uint8Array): string =>
  createHash('sha256').update(data).digest('hex');

/**
 * The known file `bytes` is, or undefined for an unknown one; throws INVALID_DA_FILE when it has
 * a known file's name and size but not its digest.
 */
export function recogniseDa(
  bytes: Uint8Array,
  name: string,
  known: readonly KnownDaFile[] = KNOWN_DA_FILES,
): KnownDaFile | undefined {
  const digest = sha256Hex(bytes);
  const match = known.find((k) => k.sha256 === digest);
  if (match) return match;
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const lookalike = known.find((k) => k.size === bytes.length && k.name === base);
  if (lookalike)
    throw packageError(
      'INVALID_DA_FILE',
      `${name}: ${bytes.length} bytes like ${lookalike.source}'s ${lookalike.name}, but SHA-256 ${digest} is not its ${lookalike.sha256}: a damaged copy, fetch it again`,
    );
  return undefined;
}
