import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'station', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
