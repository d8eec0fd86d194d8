import { mergeConfig } from 'vitest/config';
import { workspaceProject } from '../../vitest.project.ts';

// The browser tests share one `next build`, one Chromium and one line (test/support/global-setup.ts).
export default mergeConfig(workspaceProject('dashboard'), {
  test: { globalSetup: ['test/support/global-setup.ts'] },
});
