import { tempDir, type AppProcess, type RunningProcess, type TempDir } from '@station/testkit';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { addSession, type SignedIn } from './people';
import { stopAndRelease } from './stop-process';

export const VIEWPORT = { width: 1280, height: 800 };
export const UI_TIMEOUT_MS = 20_000;
/** A flash of the demo package on an emulated module, with room for a loaded machine. */
export const FLASH_TIMEOUT_MS = 120_000;
// Colours from globals.css: a rendered health panel shows them, a blank page cannot.
export const OK_GREEN = '#2ecc71';
export const BAD_RED = '#ff5c5c';

export interface OpenedPage {
  page: Page;
  /** Uncaught errors in the page: every test expects none. */
  crashes: Error[];
}

export interface OpenOptions {
  as?: SignedIn;
  before?: (page: Page) => Promise<unknown>;
}

export interface BrowserSession {
  /**
   * Opens `url` in a new page (a browser context of its own: its own cookies). `as` puts a session
   * into it first; `before` runs before the page loads (routes must exist by then).
   */
  openPage(url: string, options?: OpenOptions): Promise<OpenedPage>;
  /** A folder for this file's screenshots and scratch files, removed after the file. */
  scratchDir(): string;
  /** Runs `cleanup` after the file, in reverse order of registration, whatever happens. */
  onCleanup(cleanup: () => Promise<unknown>): void;
  /** Stops `proc` after the file and kills whatever it left behind. */
  tracked<T extends RunningProcess | AppProcess>(proc: T): T;
}

/**
 * Connects this test file to the Chromium that global-setup.ts launched, and closes every page,
 * process and folder the file opened when it ends. Call once at the top of a browser test file.
 */
export function useBrowser(): BrowserSession {
  const cleanups: (() => Promise<unknown>)[] = [];
  let browser: Browser;
  let scratch: TempDir;

  beforeAll(async () => {
    scratch = await tempDir('dashboard-shots');
    cleanups.push(() => scratch.dispose());
    browser = await chromium.connect(inject('browserWsEndpoint'));
    cleanups.push(() => browser.close());
  }, 60_000);

  afterAll(async () => {
    const failures: unknown[] = [];
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) throw new AggregateError(failures, 'cleanup failed');
  }, 60_000);

  const onCleanup = (cleanup: () => Promise<unknown>) => {
    cleanups.push(cleanup);
  };

  return {
    async openPage(url, { as, before } = {}) {
      const page = await browser.newPage({ viewport: VIEWPORT });
      onCleanup(() => page.close());
      const crashes: Error[] = [];
      page.on('pageerror', (error) => crashes.push(error));
      if (as) await addSession(page.context(), as);
      await before?.(page);
      await page.goto(url);
      return { page, crashes };
    },
    scratchDir: () => scratch.path,
    onCleanup,
    tracked(proc) {
      onCleanup(() => stopAndRelease(proc));
      return proc;
    },
  };
}

export const byTestId = (page: Page, id: string, state?: string) =>
  page.locator(state ? `[data-testid="${id}"][data-state="${state}"]` : `[data-testid="${id}"]`);
