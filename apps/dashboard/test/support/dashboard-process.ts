import { baseChildEnv, startProcess, type RunningProcess } from '@station/testkit';
import { DASHBOARD_DIR, NEXT_BIN } from './dashboard-build';

/** `next start` of the built dashboard, pointed at `serverUrl`. */
export function startDashboard(port: number, serverUrl: string): RunningProcess {
  return startProcess(
    `dashboard :${port}`,
    NEXT_BIN,
    ['start', '--port', String(port), '--hostname', '127.0.0.1'],
    {
      cwd: DASHBOARD_DIR,
      env: {
        ...baseChildEnv(),
        // vitest sets NODE_ENV "test"; next start must run as production.
        NODE_ENV: 'production',
        SERVER_URL: serverUrl,
        DASHBOARD_PORT: String(port),
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
  );
}
