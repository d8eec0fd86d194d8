// @station/db/seed: a synthetic line history for benchmarks and demos (issue #10 §6).
export { parseSeedArgs, SEED_USAGE, type SeedArgs } from './seed-args';
export { seedDatabase, SeedRefusedError, type SeedOptions, type SeedReport } from './seed-database';
export type { SeedCatalogue, SeedFailure } from './seed-plan';
