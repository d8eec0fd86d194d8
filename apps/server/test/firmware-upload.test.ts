// Uploading firmware packages through the real server runtime, Postgres and Redis: a good archive
// is stored content-addressed (blobs named by their sha256, rows, an audit event), the same
// package again is the same package, a package a station announced becomes the uploaded one, and
// every malformed archive is refused with its reason and leaves nothing behind. Archives are made
// in memory from synthetic packages (packages/mtk); nothing is mocked.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { FirmwarePackageResponse, type ErrorResponse } from '@station/contracts';
import { firmwarePackageRepository } from '@station/db';
import { makeSyntheticImage, packageDigest } from '@station/mtk';
import { packageArchive, tarGz, zip } from '@station/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, syntheticPackageFiles, uploadFirmware, type TestServer } from './helpers';

const MiB = 1024 * 1024;

let server: TestServer;
let engineer: string;

beforeAll(async () => {
  server = await startTestServer({
    FIRMWARE_MAX_BYTES: String(MiB),
    FIRMWARE_MAX_UNPACKED_BYTES: String(2 * MiB),
  });
  engineer = await server.signIn('engineer');
}, 90_000);

afterAll(async () => {
  await server?.close();
}, 60_000);

const upload = (archive: Uint8Array, name?: string) =>
  uploadFirmware(server, engineer, archive, name);
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
const store = () => server.env.FIRMWARE_STORE_DIR;
const listDir = (dir: string) => readdir(join(store(), dir)).catch(() => [] as string[]);

/** What an upload may have left: rows, blobs and temp files. */
async function stored() {
  const { prisma } = server.db;
  return {
    packages: await prisma.firmwarePackage.count(),
    files: await prisma.firmwareFile.count(),
    audit: await prisma.auditEvent.count({ where: { action: 'firmware.upload' } }),
    blobs: (await listDir('sha256')).sort(),
    temp: await listDir('tmp'),
  };
}

describe('a good package', { timeout: 60_000 }, () => {
  it('is checked, stored as blobs named by sha256, recorded and audited (201)', async () => {
    const files = syntheticPackageFiles('MC60UPLOAD01', { da: true });
    const response = await upload(await packageArchive(files, 'zip', 'MC60UPLOAD01'));
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const pkg = FirmwarePackageResponse.parse(response.body);

    const cfgName = 'QUECTEL_SYNTH_MC60UPLOAD01.cfg';
    const { 'mt6261_da.bin': da, ...packageFiles } = files;
    const asBytes = (d: Uint8Array | string) => (typeof d === 'string' ? Buffer.from(d) : d);
    expect(pkg).toMatchObject({
      digest: packageDigest(
        Object.fromEntries(Object.entries(packageFiles).map(([n, d]) => [n, asBytes(d)])),
      ),
      name: 'QUECTEL_SYNTH_MC60UPLOAD01',
      revision: 'MC60UPLOAD01',
      platform: 'MT6261',
      stored: true,
      uploadedBy: { username: 'engineer' },
      activeOn: [],
    });
    expect(pkg.allowedFlashIds).toContain('C8 60 16');
    expect(pkg.files.map((f) => [f.name, f.kind]).sort()).toEqual(
      [
        [cfgName, 'config'],
        ['BOOTLOADER_MC60UPLOAD01.bin', 'bootloader'],
        ['ROM', 'rom'],
        ['VIVA', 'viva'],
        ['mt6261_da.bin', 'download_agent'],
      ].sort(),
    );
    for (const file of pkg.files) {
      const original = asBytes(file.name === 'mt6261_da.bin' ? da! : files[file.name]!);
      expect(file).toMatchObject({ sha256: sha256(original), sizeBytes: original.length });
      // The blob on disk is the file's bytes under the file's sha256.
      const blob = await readFile(join(store(), 'sha256', file.sha256));
      expect(sha256(blob)).toBe(file.sha256);
    }
    expect(await listDir('tmp')).toEqual([]);

    const row = await server.db.prisma.firmwarePackage.findUniqueOrThrow({
      where: { id: pkg.id },
      include: { files: true, uploadedBy: true },
    });
    expect(row.storedAt).not.toBeNull();
    expect(row.uploadedBy?.username).toBe('engineer');
    expect(row.files).toHaveLength(5);
    expect(row.files.find((f) => f.fileName === 'ROM')?.loadAddress).toBe(0x10020000n);

    const [event] = await server.db.prisma.auditEvent.findMany({
      where: { action: 'firmware.upload', entityId: pkg.id },
    });
    expect(event).toMatchObject({
      entityType: 'firmware_package',
      actorId: row.uploadedById,
      actorLabel: `user:${row.uploadedById}`,
      details: {
        digest: pkg.digest,
        revision: 'MC60UPLOAD01',
        platform: 'MT6261',
        files: expect.arrayContaining([
          { name: 'ROM', kind: 'rom', sha256: pkg.files.find((f) => f.name === 'ROM')!.sha256 },
        ]),
      },
    });

    // The stored file comes back byte for byte.
    const download = await fetch(`${server.baseUrl}/api/firmware-packages/${pkg.id}/files/ROM`, {
      headers: { cookie: engineer },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('x-sha256')).toBe(sha256(asBytes(files.ROM!)));
    expect(Buffer.from(await download.arrayBuffer()).equals(asBytes(files.ROM!))).toBe(true);
  });

  it('uploaded again, in either format, is the same package (200) and changes nothing', async () => {
    const files = syntheticPackageFiles('MC60AGAIN01');
    const first = await upload(await packageArchive(files, 'tar.gz'));
    expect(first.status).toBe(201);
    const before = await stored();

    const again = await upload(await packageArchive(files, 'tar.gz'));
    const asZip = await upload(await packageArchive(files, 'zip', 'some-folder'));
    expect([again.status, asZip.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    expect(asZip.body).toEqual(first.body);
    expect(await stored()).toEqual(before);
  });

  it('a package a station announced becomes the uploaded one: same row, now with its files', async () => {
    const files = syntheticPackageFiles('MC60ANNOUNCED');
    const bytes = Object.fromEntries(
      Object.entries(files).map(([n, d]) => [n, typeof d === 'string' ? Buffer.from(d) : d]),
    );
    const announced = await firmwarePackageRepository.upsertFromStation(server.db.prisma, {
      packageId: 'station-folder-name',
      digest: packageDigest(bytes),
      revision: 'MC60ANNOUNCED',
      platform: 'MT6261',
    });
    const response = await upload(await packageArchive(files, 'zip'));
    expect(response.status).toBe(201);
    expect(FirmwarePackageResponse.parse(response.body)).toMatchObject({
      id: announced.id,
      name: 'station-folder-name',
      stored: true,
      uploadedBy: { username: 'engineer' },
    });
  });
});

/** Each malformed archive, and the status, code and words of its refusal. */
async function cases(): Promise<
  { what: string; archive: Uint8Array; status: number; code: string; says: string | RegExp }[]
> {
  const good = syntheticPackageFiles('MC60BAD01');
  const cfgName = 'QUECTEL_SYNTH_MC60BAD01.cfg';
  const { ROM: rom, ...withoutRom } = good;
  const brokenGfh = Buffer.from(rom as Uint8Array);
  brokenGfh[0] = 0x00; // no "MMM" magic
  const truncated = (rom as Uint8Array).subarray(0, 4096);
  const entries = (files: Record<string, Uint8Array | string>) =>
    Object.entries(files).map(([path, data]) => ({ path, data }));
  const zeros = new Uint8Array(3 * MiB);
  return [
    {
      what: 'not an archive',
      archive: Buffer.from('general:\n  platform: MT6261\n'),
      status: 400,
      code: 'NOT_AN_ARCHIVE',
      says: 'not a .zip or .tar.gz archive',
    },
    {
      what: 'a truncated zip',
      archive: (await packageArchive(good, 'zip')).subarray(0, 2000),
      status: 400,
      code: 'BROKEN_ARCHIVE',
      says: 'The .zip archive cannot be read',
    },
    {
      what: 'no .cfg',
      archive: tarGz(entries({ ROM: rom! })),
      status: 422,
      code: 'INVALID_CFG_FILE',
      says: 'The archive holds no .cfg file',
    },
    {
      what: 'two .cfg',
      archive: await packageArchive({ ...good, 'other.cfg': good[cfgName]! }, 'zip'),
      status: 422,
      code: 'INVALID_CFG_FILE',
      says: `The archive holds 2 .cfg files (${cfgName}, other.cfg)`,
    },
    {
      what: 'an image the cfg names is missing',
      archive: await packageArchive(withoutRom, 'tar.gz'),
      status: 422,
      code: 'INVALID_IMAGE',
      says: `ROM: named by ${cfgName} but not found next to it`,
    },
    {
      what: 'a broken GFH header',
      archive: await packageArchive({ ...good, ROM: brokenGfh }, 'zip'),
      status: 422,
      code: 'INVALID_IMAGE',
      says: 'ROM: no GFH header',
    },
    {
      what: 'a truncated image',
      archive: await packageArchive({ ...good, ROM: truncated }, 'tar.gz'),
      status: 422,
      code: 'INVALID_IMAGE',
      says: 'ROM: file is truncated',
    },
    {
      what: 'a file the cfg does not name that is no Download Agent',
      archive: await packageArchive({ ...good, 'notes.txt': 'release notes' }, 'zip'),
      status: 422,
      code: 'UNEXPECTED_FILE',
      says: `notes.txt is not named by ${cfgName} and is not a Download Agent`,
    },
    {
      what: 'a file outside the cfg folder',
      archive: tarGz([
        ...entries(good).map((e) => ({ ...e, path: `pkg/${e.path}` })),
        { path: 'elsewhere/ROM', data: rom! },
      ]),
      status: 422,
      code: 'FILE_OUTSIDE_PACKAGE',
      says: `elsewhere/ROM is not next to pkg/${cfgName}`,
    },
    {
      what: 'a ../ path (tar)',
      archive: tarGz([...entries(good), { path: '../ROM', data: rom! }]),
      status: 400,
      code: 'UNSAFE_ARCHIVE_PATH',
      says: 'The archive entry "../ROM" climbs out of the archive',
    },
    {
      what: 'a ../ path (zip)',
      archive: await zip([...entries(good), { path: 'pkg/../../ROM', data: rom! }]),
      status: 400,
      code: 'UNSAFE_ARCHIVE_PATH',
      says: 'unsafe path',
    },
    {
      what: 'an absolute path',
      archive: tarGz([...entries(withoutRom), { path: '/etc/ROM', data: rom! }]),
      status: 400,
      code: 'UNSAFE_ARCHIVE_PATH',
      says: 'The archive entry "/etc/ROM" is an absolute path',
    },
    {
      what: 'a symbolic link (tar)',
      archive: tarGz([
        ...entries(withoutRom),
        { path: 'ROM', type: 'symlink', linkpath: '/dev/zero' },
      ]),
      status: 400,
      code: 'ARCHIVE_LINK',
      says: 'The archive entry "ROM" is a symbolic link',
    },
    {
      what: 'a symbolic link (zip)',
      archive: await zip([
        ...entries(withoutRom),
        { path: 'ROM', type: 'symlink', linkpath: '/etc/passwd' },
      ]),
      status: 400,
      code: 'ARCHIVE_LINK',
      says: 'The archive entry "ROM" is a symbolic link or special file',
    },
    {
      what: 'a hard link',
      archive: tarGz([...entries(withoutRom), { path: 'ROM', type: 'hardlink', linkpath: 'VIVA' }]),
      status: 400,
      code: 'ARCHIVE_LINK',
      says: 'is a hard link',
    },
    {
      what: 'too large to upload',
      archive: new Uint8Array(MiB + 1).fill(7),
      status: 413,
      code: 'FIRMWARE_TOO_LARGE',
      says: 'The archive is larger than 1 MiB (FIRMWARE_MAX_BYTES)',
    },
    {
      what: 'a gzip bomb',
      archive: tarGz([...entries(good), { path: 'padding.bin', data: zeros }]),
      status: 413,
      code: 'ARCHIVE_TOO_LARGE',
      says: 'The archive unpacks to more than 2 MiB (FIRMWARE_MAX_UNPACKED_BYTES)',
    },
    {
      // Past the tar's end blocks the parser reads nothing more; the inflating itself is counted.
      what: 'a gzip bomb after the end of the tar',
      archive: gzipSync(Buffer.concat([gunzipSync(tarGz(entries(good))), Buffer.alloc(4 * MiB)])),
      status: 413,
      code: 'ARCHIVE_TOO_LARGE',
      says: 'The archive unpacks to more than 2 MiB (FIRMWARE_MAX_UNPACKED_BYTES)',
    },
    {
      what: 'a zip bomb',
      archive: await zip([...entries(good), { path: 'padding.bin', data: zeros }]),
      status: 413,
      code: 'ARCHIVE_TOO_LARGE',
      says: 'The archive unpacks to more than 2 MiB (FIRMWARE_MAX_UNPACKED_BYTES)',
    },
    {
      what: 'too many entries',
      archive: await zip(Array.from({ length: 65 }, (_, i) => ({ path: `f${i}`, data: 'x' }))),
      status: 400,
      code: 'TOO_MANY_ENTRIES',
      says: 'The archive has more than 64 entries',
    },
  ];
}

describe('a malformed archive', { timeout: 60_000 }, () => {
  it('is refused with its reason, and nothing of it is stored', async () => {
    const before = await stored();
    const seen: string[] = [];
    const wanted: string[] = [];
    for (const c of await cases()) {
      const { status, body } = await upload(c.archive);
      const { code, message } = (body as ErrorResponse).error;
      seen.push(`${c.what} → ${status} ${code}`);
      wanted.push(`${c.what} → ${c.status} ${c.code}`);
      if (typeof c.says === 'string') expect(message, c.what).toContain(c.says);
      else expect(message, c.what).toMatch(c.says);
    }
    expect(seen).toEqual(wanted);
    expect(await stored()).toEqual(before);
  });

  it('a request that is not a multipart upload, or has no `file` field, says how to send one', async () => {
    const json = await fetch(`${server.baseUrl}/api/firmware-packages`, {
      method: 'POST',
      headers: { cookie: engineer, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
    expect(((await json.json()) as ErrorResponse).error.code).toBe('NOT_MULTIPART');

    const form = new FormData();
    form.append(
      'archive',
      new Blob([makeSyntheticImage({ type: 1, loadAddress: 0, size: 64, seed: 1 })]),
      'a.zip',
    );
    const wrongField = await fetch(`${server.baseUrl}/api/firmware-packages`, {
      method: 'POST',
      headers: { cookie: engineer },
      body: form,
    });
    expect(wrongField.status).toBe(400);
    expect(((await wrongField.json()) as ErrorResponse).error).toEqual({
      code: 'NO_FILE',
      message: 'The request holds no file in the field "file" (it sent "archive")',
    });
  });
});
