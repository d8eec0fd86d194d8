import { defineProject } from 'vitest/config';

// Settings every workspace's test project shares. Vitest projects do not inherit the root
// config's test options, so each workspace's vitest.config.ts builds its project from here.
export function workspaceProject(name: string) {
  return defineProject({
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      // Pseudo-terminal flashes at 115200 and real-service fixtures take seconds, not ms.
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  });
}
