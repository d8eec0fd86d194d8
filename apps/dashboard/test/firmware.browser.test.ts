// The firmware page in a real browser against the shared line (test/support/global-setup.ts: the
// real server, Postgres, Redis and a station agent): an operator signed in by badge is offered no
// firmware page and is told it is not for their role; an engineer uploads a demo package of
// another revision than the stations hold (made by the `flashstation package make-demo` CLI and
// packed as a .tar.gz), sees it validated, activates it on a station of this file's own, and the
// audit log shows the upload and the activation; a scan at that station then flashes the new
// revision, which the station, not holding it, fetched from the registry. Activating on the shared
// station would change what the other files flash, hence the second station.
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AuditEventsResponse, FirmwarePackageListResponse } from '@station/contracts';
import {
  labelImei,
  packageArchive,
  repoRoot,
  uniquePrefix,
  waitFor,
  WaitAbortedError,
  type StationApp,
} from '@station/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { UI_TIMEOUT_MS, byTestId, useBrowser } from './support/browser';
import { startJigStation } from './support/line-stack';
import { apiAs, asUser, OPERATOR_BADGE, signInThroughApi } from './support/people';
import { sharedLine } from './support/shared-line';

const session = useBrowser();
const line = sharedLine();
const { stationId, serverUrl, dashboardUrl } = line;
const ownStation = uniquePrefix('firmware-jig');
/** The shared station holds the demo package MC60CAR01A13. */
const REVISION = 'MC60CAR01A14';
let archivePath: string;

/** The CLI's demo package (cfg, boot loader, ROM, VIVA, synthetic DA) as one .tar.gz. */
async function demoArchive(): Promise<string> {
  const dir = join(session.scratchDir(), `demo-${REVISION}`);
  const cli = join(repoRoot, 'apps/station/bin/flashstation.mjs');
  const args = ['package', 'make-demo', '--out', dir, '--revision', REVISION];
  await promisify(execFile)(process.execPath, [cli, ...args], { cwd: repoRoot });
  const files: Record<string, Uint8Array> = {};
  for (const name of await readdir(dir)) files[name] = await readFile(join(dir, name));
  const path = join(session.scratchDir(), `demo-${REVISION}.tar.gz`);
  await writeFile(path, await packageArchive(files, 'tar.gz', `demo-${REVISION}`));
  return path;
}

beforeAll(async () => {
  archivePath = await demoArchive();
  const other: StationApp = session.tracked(
    await startJigStation(line, { stationId: ownStation, slots: 1 }),
  );
  await waitFor(
    `station ${ownStation} to show as connected`,
    async () => {
      if (!other.running()) throw new WaitAbortedError(`it exited:\n${other.current.output()}`);
      const reply = await apiAs(line.supervisor, `${serverUrl}/api/stations/${ownStation}`);
      return reply.status === 200 && (JSON.parse(reply.body) as { connected?: boolean }).connected;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}, 120_000);

describe('the firmware page', () => {
  it('is not offered to an operator, who is told it is not for their role', async () => {
    const { page, crashes } = await session.openPage(
      `${dashboardUrl}/sign-in?station=${stationId}`,
    );
    const badge = byTestId(page, 'badge-input');
    await badge.waitFor({ timeout: UI_TIMEOUT_MS });
    await badge.fill(OPERATOR_BADGE);
    await badge.press('Enter');
    await page.waitForURL(`${dashboardUrl}/?station=${stationId}`, { timeout: UI_TIMEOUT_MS });
    await byTestId(page, 'nav-item').first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await byTestId(page, 'nav-item').allInnerTexts()).toEqual(['Line view']);

    await page.goto(`${dashboardUrl}/firmware`);
    const notice = byTestId(page, 'not-for-role');
    await notice.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await notice.innerText()).toContain('The firmware page is not for your role');
    expect(await notice.innerText()).toContain('you are signed in as Operator');
    expect(await byTestId(page, 'firmware-upload').count()).toBe(0);
    expect(crashes).toEqual([]);
  });

  it('lets an engineer upload a package, see it validated, activate it, and the log says so', async () => {
    const engineer = await signInThroughApi(serverUrl, asUser('engineer'));
    const { page, crashes } = await session.openPage(`${dashboardUrl}/firmware`, { as: engineer });
    await byTestId(page, 'firmware-list').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await byTestId(page, 'nav-item').allInnerTexts()).toEqual([
      'Line view',
      'Yield',
      'Attempts',
      'Firmware',
    ]);

    await byTestId(page, 'firmware-file').setInputFiles(archivePath);
    await byTestId(page, 'firmware-upload').click();
    const result = byTestId(page, 'upload-result');
    await result.waitFor({ timeout: UI_TIMEOUT_MS }).catch(async (error: unknown) => {
      const refused = byTestId(page, 'upload-error');
      throw new Error(
        `no upload result: ${(await refused.count()) ? await refused.innerText() : 'nothing shown'}`,
        { cause: error },
      );
    });
    expect(await result.innerText()).toContain('Validated and stored');
    expect(await byTestId(page, 'upload-revision').innerText()).toBe(REVISION);
    const packageId = await result.getAttribute('data-package-id');

    const row = page.locator(`[data-testid="firmware-row"][data-package-id="${packageId}"]`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    const digest = row.locator('[data-testid="firmware-digest"]');
    expect((await digest.getAttribute('title'))?.startsWith(await digest.innerText())).toBe(true);
    expect(await row.locator('[data-testid="firmware-active"]').innerText()).toBe('—');

    await row.locator('[data-testid="activate-scope"]').selectOption(ownStation);
    await row.locator('[data-testid="activate"]').click();
    await row
      .locator('[data-testid="firmware-active"]', { hasText: ownStation })
      .waitFor({ timeout: UI_TIMEOUT_MS });

    // The server agrees, and the audit log has both, by the engineer.
    const listed = FirmwarePackageListResponse.parse(
      JSON.parse((await apiAs(engineer, `${serverUrl}/api/firmware-packages`)).body),
    ).packages.find((p) => p.id === packageId);
    expect(listed).toMatchObject({ revision: REVISION, stored: true });
    expect(listed?.activeOn.map((a) => a.stationId)).toEqual([ownStation]);
    const audit = async (query: string) =>
      AuditEventsResponse.parse(
        JSON.parse((await apiAs(engineer, `${serverUrl}/api/audit-events?${query}`)).body),
      ).events;
    const uploads = await audit(`action=firmware.upload&entityId=${packageId}`);
    expect(uploads.map((e) => [e.actorId, e.details?.revision])).toEqual([
      [engineer.session.user.id, REVISION],
    ]);
    const activations = await audit(`action=firmware.activate&entityId=${ownStation}`);
    expect(activations.map((e) => [e.actorId, e.entityType, e.details?.after])).toEqual([
      [
        engineer.session.user.id,
        'station',
        expect.objectContaining({ packageId, revision: REVISION }),
      ],
    ]);

    // A scan there flashes it: the station fetches the package from the registry first.
    const imei = labelImei(1);
    const attemptId = await waitFor(`a scan at ${ownStation} accepted`, async () => {
      const reply = await apiAs(line.supervisor, `${serverUrl}/api/flash-jobs`, {
        method: 'POST',
        json: { stationId: ownStation, slot: 1, imei },
      });
      // Another file may be flashing the same emulated label IMEI on the shared station.
      if (reply.status === 409 && reply.body.includes('MODULE_BUSY')) return undefined;
      expect(reply.status, reply.body).toBe(202);
      return (JSON.parse(reply.body) as { attemptId: string }).attemptId;
    });
    const flashed = await waitFor(
      'the activated revision flashed',
      async () => {
        const history = JSON.parse(
          (await apiAs(line.supervisor, `${serverUrl}/api/modules/${imei}`)).body,
        ) as { attempts: { id: string; endedAt: string | null }[] };
        const attempt = history.attempts.find((a) => a.id === attemptId);
        return attempt?.endedAt ? attempt : undefined;
      },
      { timeoutMs: 90_000 },
    );
    expect(flashed).toMatchObject({
      outcome: 'passed',
      stationId: ownStation,
      packageRevision: REVISION,
      revisionAfter: REVISION,
    });
    expect(crashes).toEqual([]);
  });
});
