// The only place the test kit reads its own environment: what child processes inherit.

/** PATH and HOME of the test process; a child gets these and nothing else unless told. */
export function baseChildEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
}
