import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import type { SignedIn } from './people';

/**
 * The line every flash test file shares, started once by global-setup.ts: apps/server on a fresh
 * database and Redis prefix, the built dashboard, and one real station agent with an emulated jig.
 * Files use different slots of that station, so they can run at the same time.
 */
export interface SharedLine {
  serverUrl: string;
  dashboardUrl: string;
  /** Where a file's own extra station agent joins the line. */
  redisPrefix: string;
  /** The line's database: a file's extra station gets its credential there. */
  databaseUrl: string;
  stationId: string;
  slots: number;
  /** The emulated jig's folder: slot N's port is the link `slot-0N` in it. */
  jigDir: string;
  /** A supervisor's session (sees and flashes every station), shared by the files. */
  supervisor: SignedIn;
  /** Where the server's and the station's output go, for failure messages. */
  logs: { server: string; station: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** playwright-core `chromium.launchServer` endpoint: one Chromium for every file. */
    browserWsEndpoint: string;
    sharedLine: SharedLine;
  }
}

export const sharedLine = (): SharedLine => inject('sharedLine');

const LOG_TAIL = 8_000;

/** The end of the station's and the server's output, to say why a tile never changed. */
export async function lineLogs(line: SharedLine): Promise<string> {
  const tail = async (path: string) =>
    (
      await readFile(path, 'utf8').catch((error: unknown) => `(unreadable: ${String(error)})`)
    ).slice(-LOG_TAIL);
  return `--- station ---\n${await tail(line.logs.station)}\n--- server ---\n${await tail(line.logs.server)}`;
}
