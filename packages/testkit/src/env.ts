// The only place the test kit reads its own environment: what child processes inherit.

/** PATH and HOME of the test process; a child gets these and nothing else unless told. */
export function baseChildEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
}

/**
 * A child's environment as Node's typings want it. Next.js declares NODE_ENV required in
 * NodeJS.ProcessEnv, which a plain record of variables never satisfies under the dashboard's
 * tsconfig; the variables themselves are all a child needs.
 */
export const asProcessEnv = (vars: Record<string, string | undefined>): NodeJS.ProcessEnv =>
  vars as NodeJS.ProcessEnv;
