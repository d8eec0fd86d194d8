/**
 * Revision of a firmware from its ROM image: the build name is a NUL-terminated printable ASCII
 * string ending in `.bin` inside the first 4 KiB (e.g.
 * `QUECTEL03D_M2M_11C_PCB01_gprs_MT6261_S00.MC60CAR01A03_BETA0628.bin` → `MC60CAR01A03`).
 */
export function revisionFromRom(rom: Uint8Array): string | undefined {
  const name = findBuildName(rom.subarray(0, 4096));
  return name === undefined ? undefined : revisionFromBuildName(name);
}

export function revisionFromBuildName(buildName: string): string | undefined {
  const parts = buildName.split('.');
  if (parts.length < 3 || parts[parts.length - 1] !== 'bin') return undefined;
  const segment = parts[parts.length - 2]!;
  const revision = segment.split('_')[0]!;
  return revision.length > 0 ? revision : undefined;
}

function findBuildName(bytes: Uint8Array): string | undefined {
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x20 && b < 0x7f) continue;
    if (b === 0 && i - start >= 5) {
      const text = String.fromCharCode(...bytes.subarray(start, i));
      if (text.endsWith('.bin') && text.includes('.', 0) && text.indexOf('.') < text.length - 4)
        return text;
    }
    start = i + 1;
  }
  return undefined;
}
