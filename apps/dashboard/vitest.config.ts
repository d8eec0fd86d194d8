import { defineProject } from 'vitest/config';

// Root-level testTimeout/hookTimeout do not reach projects listed by glob, so they are repeated here.
export default defineProject({
  test: {
    name: 'dashboard',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
