import { z } from 'zod';

/**
 * The dashboard's configuration, read on the Next.js server at request time (never in the browser,
 * never inlined at build time), so one build can point at any server.
 */
export const DashboardEnv = z.object({
  /** Where the operator's browser reaches apps/server (REST and socket.io). */
  SERVER_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL, e.g. http://localhost:4000' })
    .default('http://localhost:4000')
    .transform((url) => url.replace(/\/+$/, '')),
  /** Port of `next start`; the start scripts pass it on the command line. */
  DASHBOARD_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
});
export type DashboardEnv = z.infer<typeof DashboardEnv>;

/** Parses an environment, throwing one error that names every bad variable. */
export function parseDashboardEnv(source: Record<string, string | undefined>): DashboardEnv {
  const parsed = DashboardEnv.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new Error(`Invalid dashboard environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export const env = parseDashboardEnv(process.env);
