// @station/testkit: helpers for tests only (never imported by production code; see
// scripts/check-cycles.mjs). One version of each waiting, IMEI, process and service helper.
export {
  spawnApp,
  type AppKind,
  type AppOptions,
  type AppProcess,
  type ServerApp,
  type StationApp,
} from './apps';
export { packageArchive, tarGz, zip, type ArchiveEntry, type ArchiveFormat } from './archives';
export { parseCsv } from './csv';
export { baseChildEnv, FULL_RUN, fuzzReplay, publicMirrors } from './env';
export { EMULATED_TAC, labelImei, testImei, uniqueImei, withWrongCheckDigit } from './imeis';
export { createMigratedDatabase, LOCAL_POSTGRES_URL, type MigratedDatabase } from './database';
export { waitForHttp } from './http';
export { freePort } from './ports';
export {
  groupMembers,
  liveProcesses,
  processesMentioning,
  type LiveProcess,
} from './process-group';
export {
  startProcess,
  type ExitStatus,
  type LineMatch,
  type ProcessOptions,
  type RunningProcess,
} from './processes';
export {
  POSTGRES_BIN_DIR,
  startPrivatePostgres,
  type PrivatePostgres,
  type PrivatePostgresOptions,
} from './private-postgres';
export { startPrivateRedis, type PrivateRedis } from './private-redis';
export {
  deleteKeys,
  LOCAL_REDIS_URL,
  redisKeys,
  testRedisPrefix,
  uniquePrefix,
  type TestRedisPrefix,
} from './redis-prefix';
export { repoRoot } from './repo';
export { signIn, TEST_DEMO_BADGE, TEST_DEMO_PASSWORD } from './session';
export { provisionStation, type ProvisionedStation } from './stations';
export { tempDir, type TempDir } from './temp-dir';
export {
  DEFAULT_WAIT_MS,
  WaitAbortedError,
  waitFor,
  waitForEvent,
  WaitTimeoutError,
  withDeadline,
  type WaitOptions,
} from './wait';
