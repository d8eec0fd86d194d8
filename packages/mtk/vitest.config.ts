import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'mtk', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
