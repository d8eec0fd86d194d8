// Process lifecycle shared by the apps: configuration, Redis connections, entry point, shutdown.
export {
  BoolEnv,
  EnvError,
  IntegerEnv,
  LogLevelEnv,
  NodeEnvEnv,
  OneOfEnv,
  PortEnv,
  RedisPrefixEnv,
  RedisUrlEnv,
  UrlEnv,
  envProblems,
  formatEnvError,
  validateEnv,
} from './env-schema';
export {
  runEntryPoint,
  type EntryPointEnv,
  type EntryPointOptions,
  type Started,
} from './entry-point';
export {
  ServiceUnavailableError,
  assertRedisReachable,
  createRedis,
  pingRedis,
  waitUntilReady,
} from './redis';
export { installShutdown, type ShutdownStep } from './shutdown';
export { StartupError } from './startup-error';
