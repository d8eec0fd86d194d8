import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'logger', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
