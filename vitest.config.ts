import { defineConfig } from 'vitest/config';

// One test run for the whole monorepo: each workspace is a project, named after its folder.
// Tests talk to the real Postgres and Redis; each suite makes its own database / key prefix.
export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'apps/*',
      { test: { name: 'repo', include: ['scripts/**/*.test.ts'] } },
      // Fault tests on real processes (design §9); docs/reliability.md. A few rounds in `npm test`,
      // the full counts with `npm run test:reliability`.
      {
        test: {
          name: 'reliability',
          include: ['reliability/**/*.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 180_000,
        },
      },
    ],
    // Two cores: more workers only make the pseudo-terminal timing tests noisier.
    maxWorkers: 2,
  },
});
