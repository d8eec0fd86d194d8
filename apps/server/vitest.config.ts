import { defineProject } from 'vitest/config';

// Timeouts are repeated here: a project does not inherit the root config's test options.
export default defineProject({
  test: {
    name: 'server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
