// Server entry: env → connections → app → listen, and an ordered shutdown on SIGTERM/SIGINT.
import { DatabaseUnavailableError } from '@station/db';
import { runEntryPoint, StartupError } from '@station/runtime';
import { createServerRuntime } from './runtime';

await runEntryPoint({
  name: 'server',
  loadEnv: () => import('./env'),
  start: createServerRuntime,
  fixableErrors: [DatabaseUnavailableError],
  afterStart: async ({ env, started }) => {
    try {
      await started.app.listen({ host: env.HOST, port: env.SERVER_PORT });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      throw new StartupError(
        `Port ${env.SERVER_PORT} on ${env.HOST} is already in use: stop the other process or set SERVER_PORT.`,
        { cause: error },
      );
    }
  },
});
