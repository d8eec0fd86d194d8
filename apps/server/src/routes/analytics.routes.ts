import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AnalyticsSettingsResponse,
  ErrorResponse,
  ParetoQuery,
  ParetoResponse,
  YieldQuery,
  YieldResponse,
} from '@station/contracts';
import { analyticsRepository, type PrismaClient, type ShiftSpec } from '@station/db';
import { currentShift } from '../analytics/current-shift';
import { paretoRows, yieldRow } from '../analytics/figures';
import { isWholeShift } from '../analytics/whole-shift';

export interface AnalyticsRoutesOptions {
  prisma: PrismaClient;
  /** LINE_TIME_ZONE and SHIFTS: the line's clock for hours, days and shifts. */
  timeZone: string;
  shifts: readonly ShiftSpec[];
  /** UNITS_PER_HOUR_TARGET: what the yield page measures the shift against. */
  unitsPerHourTarget: number;
}

/**
 * `GET /api/yield`, `GET /api/failures/pareto` (definitions in docs/analytics.md) and the
 * settings the yield page frames them with.
 */
export const analyticsRoutes: FastifyPluginAsyncZod<AnalyticsRoutesOptions> = async (
  app,
  { prisma, timeZone, shifts, unitsPerHourTarget },
) => {
  app.get(
    '/analytics/settings',
    {
      schema: {
        tags: ['analytics'],
        summary: "The line's time zone, shifts, units-per-hour target and the shift running now",
        response: { 200: AnalyticsSettingsResponse },
      },
    },
    async () => {
      const shift = currentShift(new Date(), timeZone, shifts);
      return {
        timeZone,
        shifts: shifts.map((s) => s.label),
        unitsPerHourTarget,
        currentShift: {
          key: shift.key,
          from: shift.from.toISOString(),
          to: shift.to.toISOString(),
        },
      };
    },
  );

  app.get(
    '/yield',
    {
      schema: {
        tags: ['analytics'],
        summary:
          'First-pass and final yield, retest rate and units per hour over a window, grouped',
        querystring: YieldQuery,
        response: { 200: YieldResponse, 400: ErrorResponse },
      },
    },
    async (request) => {
      const window = { from: new Date(request.query.from), to: new Date(request.query.to) };
      const groups = await analyticsRepository.yieldGroups(prisma, {
        ...window,
        groupBy: request.query.groupBy,
        timeZone,
        shifts,
        wholeShift: isWholeShift(window, timeZone, shifts),
      });
      return { rows: groups.map((group) => yieldRow(window, group)) };
    },
  );

  app.get(
    '/failures/pareto',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Failed attempts in a window by cause, most frequent first, with shares',
        querystring: ParetoQuery,
        response: { 200: ParetoResponse, 400: ErrorResponse },
      },
    },
    async (request) => {
      const counts = await analyticsRepository.paretoCounts(prisma, {
        from: new Date(request.query.from),
        to: new Date(request.query.to),
        by: request.query.by,
      });
      return { rows: paretoRows(counts) };
    },
  );
};
