import type { LaunchOptions } from 'playwright-core';

/** Debian's Chromium, quiet: no sandbox (containers), no background traffic, no GPU. */
export const CHROMIUM_LAUNCH: LaunchOptions = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-gpu',
    '--no-first-run',
    '--disable-sync',
  ],
};
