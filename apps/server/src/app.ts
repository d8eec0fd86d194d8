import { randomBytes } from 'node:crypto';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { stationRoom, type AlertsResponse } from '@station/contracts';
import type { PrismaClient } from '@station/db';
import type { StationRequestCheck } from '@station/trust';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Logger } from '@station/logger';
import { guardRoutes, registerAuth } from './auth/auth.plugin';
import type { AuthService } from './auth/auth.service';
import { ROUTE_MATRIX, type RouteMatrix } from './auth/role-matrix';
import { answerRouterError, registerErrorHandler } from './plugins/error-handler.plugin';
import { registerMetrics } from './plugins/metrics.plugin';
import { refuseMalformedPreflight } from './plugins/preflight-check';
import { registerOpenApi } from './plugins/openapi.plugin';
import {
  apiKeyRoom,
  registerSocketIo,
  sessionRoom,
  type SocketLimits,
} from './plugins/socket-io.plugin';
import { ApiKeyService } from './people/api-key.service';
import { UserAdminService } from './people/user-admin.service';
import { AttributionService } from './attribution/attribution.service';
import { alertRoutes } from './routes/alerts.routes';
import { analyticsRoutes, type AnalyticsRoutesOptions } from './routes/analytics.routes';
import { apiKeyRoutes } from './routes/api-keys.routes';
import { attemptRoutes } from './routes/attempts.routes';
import { attributionRoutes } from './routes/attribution.routes';
import { auditRoutes } from './routes/audit.routes';
import { firmwareRoutes, type FirmwareRoutesOptions } from './routes/firmware.routes';
import { flashJobRoutes } from './routes/flash-jobs.routes';
import { healthRoutes } from './routes/health.routes';
import { moduleRoutes } from './routes/modules.routes';
import { sessionRoutes } from './routes/session.routes';
import { stationCredentialRoutes } from './routes/station-credentials.routes';
import { stationRoutes } from './routes/stations.routes';
import { userRoutes } from './routes/users.routes';
import type { FlashStartService } from './flash/flash-start.service';
import type { HealthProbes } from './services/health.service';
import type { StationCredentialService } from './stations/station-credential.service';
import type { StationLineService } from './stations/station-line.service';
import type { StationRegistry } from './stations/station-registry.service';

export interface AppDeps {
  logger: Logger;
  /** Sign-in and credentials; every route is guarded by `matrix` (default ROUTE_MATRIX). */
  auth: { service: AuthService; sessionTtlMs: number; signInLimit: number };
  /** Checks station agents' signed requests (StationKeyring); without it stations are refused. */
  verifyStation?: (header: string, method: string, path: string) => StationRequestCheck;
  /** Tests that add a route of their own pass the matrix with its entry. */
  matrix?: RouteMatrix;
  registry: StationRegistry;
  /** Flash jobs, line state and module history; left out by tests that only need stations and health. */
  flash?: { jobs: FlashStartService; line: StationLineService; prisma: PrismaClient };
  /** Station credentials (admin routes); left out by tests that build an app without them. */
  credentials?: StationCredentialService;
  /** Users and API keys (admin routes); left out by tests that build an app without them. */
  people?: { prisma: PrismaClient };
  /** The firmware registry (uploads, activation); left out by tests that do not need it. */
  firmware?: FirmwareRoutesOptions;
  /** Yield and failure Pareto (docs/analytics.md); left out by tests that do not need them. */
  analytics?: AnalyticsRoutesOptions;
  /** `/metrics` (docs/operations.md); left out by tests that do not need it. `scrapeToken`:
   * METRICS_TOKEN, Prometheus' credential. */
  metrics?: { registry: Registry; scrapeToken?: string };
  /** The alerts firing now (AlertEvaluator.current); left out by tests that do not need them. */
  alerts?: () => AlertsResponse;
  /** socket.io Redis adapter connections (several server instances, one line). */
  socketAdapter?: { pub: Redis; sub: Redis; key: string };
  /** Connections per client address and events per socket (defaults: DEFAULT_SOCKET_LIMITS). */
  socketLimits?: Partial<SocketLimits>;
  /** Postgres and Redis probes for /api/health. */
  probes: Omit<HealthProbes, 'stations'>;
  corsOrigins: string[];
  docs: boolean;
  production: boolean;
  version: string;
}

export type App = FastifyInstance;

/** Builds the HTTP + socket.io application; connections are made by the caller and passed in. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast stops Logger leaking into every route type.
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Random rather than Fastify's counter ("req-1"), which repeats after every restart and on
    // every instance: a 5xx answer names this id and the log's `reqId` finds the cause.
    genReqId: () => randomBytes(8).toString('hex'),
    frameworkErrors: answerRouterError,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  const matrix = deps.matrix ?? ROUTE_MATRIX;
  // First, so it sees every route registered after it (CORS's preflight route included).
  guardRoutes(app, matrix);
  app.addHook('onRequest', refuseMalformedPreflight);
  // DELETE (sign out, revoke) and PATCH (users): @fastify/cors allows only GET, HEAD and POST.
  await app.register(cors, {
    origin: deps.corsOrigins,
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'DELETE', 'PATCH'],
  });
  await app.register(helmet, {
    // The line's servers are often plain HTTP on a LAN: upgrading /docs' requests would break it.
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  await registerAuth(app, {
    auth: deps.auth.service,
    matrix,
    verifyStation: deps.verifyStation,
    scrapeToken: deps.metrics?.scrapeToken,
  });
  // Only routes that ask for it (sign-in) are limited.
  await app.register(rateLimit, { global: false });
  if (deps.docs) await registerOpenApi(app, deps.version);
  if (deps.metrics) await registerMetrics(app, deps.metrics.registry);

  const line = deps.flash?.line;
  // Without the flash parts (tests of stations and health) a station's line is empty.
  const stationDetail = async (stationId: string) => {
    if (line) return line.detail(stationId);
    const station = deps.registry.get(stationId);
    return station && { ...station, line: [] };
  };
  const io = registerSocketIo(app, {
    auth: deps.auth.service,
    corsOrigins: deps.corsOrigins,
    registry: deps.registry,
    stationDetail,
    adapter: deps.socketAdapter,
    limits: deps.socketLimits,
  });
  const probes: HealthProbes = { ...deps.probes, stations: () => deps.registry.list() };

  await app.register(
    async (api) => {
      await api.register(healthRoutes, { probes });
      await api.register(sessionRoutes, {
        auth: deps.auth.service,
        sessionTtlMs: deps.auth.sessionTtlMs,
        production: deps.production,
        signInLimit: deps.auth.signInLimit,
        onSignOut: (sessionId) => io.in(sessionRoom(sessionId)).disconnectSockets(true),
      });
      await api.register(stationRoutes, { registry: deps.registry, stationDetail });
      if (deps.credentials)
        await api.register(stationCredentialRoutes, {
          credentials: deps.credentials,
          connected: (stationId) => deps.registry.get(stationId)?.connected ?? false,
        });
      if (deps.people) {
        const { prisma } = deps.people;
        // Ended sessions and revoked keys lose their open sockets on every server instance.
        const users = new UserAdminService({
          prisma,
          badgeLookup: (badge) => deps.auth.service.badgeLookup(badge),
          sessionsEnded: (ids) => io.in(ids.map(sessionRoom)).disconnectSockets(true),
        });
        const apiKeys = new ApiKeyService({
          prisma,
          keyRevoked: (id) => io.in(apiKeyRoom(id)).disconnectSockets(true),
        });
        await api.register(userRoutes, { users });
        await api.register(apiKeyRoutes, { apiKeys });
      }
      if (deps.flash) {
        const attribution = new AttributionService({
          prisma: deps.flash.prisma,
          slotChanged: (event) => io.to(stationRoom(event.stationId)).emit('slot:status', event),
        });
        await api.register(flashJobRoutes, { flashJobs: deps.flash.jobs });
        await api.register(moduleRoutes, { prisma: deps.flash.prisma });
        await api.register(attributionRoutes, { attribution, prisma: deps.flash.prisma });
        await api.register(auditRoutes, { prisma: deps.flash.prisma });
        await api.register(attemptRoutes, { prisma: deps.flash.prisma });
      }
      if (deps.firmware) await api.register(firmwareRoutes, deps.firmware);
      if (deps.analytics) await api.register(analyticsRoutes, deps.analytics);
      if (deps.alerts) await api.register(alertRoutes, { alerts: deps.alerts });
    },
    { prefix: '/api' },
  );
  return app as unknown as App;
}
