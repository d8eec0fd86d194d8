// The identity of a firmware package across processes: the server stores this digest with the
// package, the station recomputes it from its own files and refuses a package that changed.
import { createHash } from 'node:crypto';

const sha256 = (data: Uint8Array | string): string =>
  createHash('sha256').update(data).digest('hex');

/**
 * sha256 of a canonical manifest: one `<sha256 of the file>  <name>\n` line per file (the .cfg and
 * every image it names), sorted by name, so the order files were read in does not matter.
 * Names are the ones the cfg uses; a renamed image is a different package.
 */
export function packageDigest(files: Readonly<Record<string, Uint8Array>>): string {
  const names = Object.keys(files).sort();
  if (names.length === 0) throw new RangeError('a package digest needs at least one file');
  for (const name of names) {
    if (name.length === 0 || /[\n\r/\\]/.test(name))
      throw new RangeError(`package file name "${name}" must be a plain file name`);
  }
  const manifest = names.map((name) => `${sha256(files[name]!)}  ${name}\n`).join('');
  return sha256(manifest);
}
