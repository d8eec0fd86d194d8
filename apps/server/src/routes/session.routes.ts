import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorResponse, SESSION_COOKIE, SessionResponse, SignInRequest } from '@station/contracts';
import { AppError, UnauthenticatedError } from '../errors';
import type { AuthService } from '../auth/auth.service';

export interface SessionRoutesOptions {
  auth: AuthService;
  sessionTtlMs: number;
  /** Secure cookies (HTTPS only) in production. */
  production: boolean;
  /** Sign-in attempts per minute per client address. */
  signInLimit: number;
  /** Disconnects the sockets of a session that was signed out. */
  onSignOut: (sessionId: string) => void;
}

/** An API key without an expiry date. */
const NEVER = '9999-12-31T23:59:59.999Z';

/** `/api/session`: sign in (cookie), who is signed in, sign out. */
export const sessionRoutes: FastifyPluginAsyncZod<SessionRoutesOptions> = async (app, options) => {
  const { auth } = options;
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: options.production,
  } as const;

  app.post(
    '/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Sign in with username and password, or with a badge at a station',
        body: SignInRequest,
        response: {
          200: SessionResponse,
          401: ErrorResponse,
          404: ErrorResponse,
          429: ErrorResponse,
        },
      },
      config: {
        rateLimit: {
          max: options.signInLimit,
          timeWindow: 60_000,
          errorResponseBuilder: (_request, context) =>
            new AppError(
              'RATE_LIMITED',
              `Too many sign-in attempts: try again in ${context.after}`,
              429,
            ),
        },
      },
    },
    async (request, reply) => {
      const { token, session } = await auth.signIn(request.body);
      reply.setCookie(SESSION_COOKIE, token, {
        ...cookieOptions,
        maxAge: Math.floor(options.sessionTtlMs / 1000),
      });
      return session;
    },
  );

  app.get(
    '/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Who is signed in (401 when nobody)',
        response: { 200: SessionResponse, 401: ErrorResponse },
      },
    },
    async (request) => {
      const principal = request.principal;
      if (!principal) throw new UnauthenticatedError();
      return { user: principal.user, expiresAt: principal.expiresAt?.toISOString() ?? NEVER };
    },
  );

  app.delete(
    '/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Sign out: the session is revoked and the cookie cleared',
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      const revoked = token ? await auth.signOut(token) : null;
      if (revoked) options.onSignOut(revoked);
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.status(204).send();
    },
  );
};
