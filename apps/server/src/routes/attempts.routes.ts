import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ATTEMPT_CSV_COLUMNS,
  AttemptDetail,
  AttemptFilter,
  AttemptsQuery,
  AttemptsResponse,
  decodeAttemptCursor,
  encodeAttemptCursor,
  ErrorResponse,
} from '@station/contracts';
import {
  attemptExplorerRepository,
  type AttemptExplorerFilter,
  type PrismaClient,
} from '@station/db';
import { attemptCsvValues, attemptDetail, attemptItem } from '../attempts/attempt-view';
import { csvRow } from '../attempts/csv';
import { BadRequestError, NotFoundError } from '../errors';

const CSV_BATCH = 1000;

/** The contract's filter as the repository takes it; a window that ends before it starts is 400. */
function repositoryFilter(query: AttemptFilter): AttemptExplorerFilter {
  const from = query.from === undefined ? undefined : new Date(query.from);
  const to = query.to === undefined ? undefined : new Date(query.to);
  if (from && to && from >= to)
    throw new BadRequestError('BAD_WINDOW', 'from must be earlier than to');
  return {
    from,
    to,
    stationCode: query.station,
    slot: query.slot,
    errorCode: query.errorCode,
    outcome: query.outcome,
    packageName: query.package,
    imei: query.imei,
  };
}

/** `attempts-<from>-<to>.csv`, with the times made file-name safe. */
const csvFileName = (query: AttemptFilter) => {
  const part = (iso: string | undefined, fallback: string) =>
    iso === undefined ? fallback : iso.replace(/[^0-9A-Za-z]/g, '');
  return `attempts-${part(query.from, 'start')}-${part(query.to, 'now')}.csv`;
};

/** The attempt explorer (issue #10 §2, docs/explorer.md). */
export const attemptRoutes: FastifyPluginAsyncZod<{ prisma: PrismaClient }> = async (
  app,
  { prisma },
) => {
  app.get(
    '/attempts',
    {
      schema: {
        tags: ['attempts'],
        summary: 'Flash attempts, newest first, filtered; page with `cursor`',
        querystring: AttemptsQuery,
        response: { 200: AttemptsResponse, 400: ErrorResponse },
      },
    },
    async (request) => {
      const { limit, cursor, ...query } = request.query;
      const after = cursor === undefined ? undefined : decodeAttemptCursor(cursor);
      if (after === null)
        throw new BadRequestError('BAD_CURSOR', 'cursor must be a nextCursor from this API');
      // One more than asked: whether a next page exists, without a second query.
      const rows = await attemptExplorerRepository.page(
        prisma,
        repositoryFilter(query),
        limit + 1,
        after,
      );
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(attemptItem),
        nextCursor: rows.length > limit && last ? encodeAttemptCursor(last) : null,
      };
    },
  );

  app.get(
    '/attempts.csv',
    {
      schema: {
        tags: ['attempts'],
        summary: 'Every attempt the filters match, newest first, as CSV (RFC 4180), streamed',
        querystring: AttemptFilter,
        produces: ['text/csv'],
        response: { 200: z.string().describe('text/csv, a header row first'), 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const filter = repositoryFilter(request.query);
      async function* lines() {
        yield csvRow(ATTEMPT_CSV_COLUMNS);
        for await (const row of attemptExplorerRepository.each(prisma, filter, CSV_BATCH)) {
          yield csvRow(attemptCsvValues(attemptItem(row)));
        }
      }
      return (
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename=${csvFileName(request.query)}`)
          // Fastify pipes a stream as is; the typed reply only knows the schema's bodies.
          .send(Readable.from(lines()) as never)
      );
    },
  );

  app.get(
    '/attempts/:id',
    {
      schema: {
        tags: ['attempts'],
        summary: 'One attempt: stage timings, error, hints, retry chain and protocol trace',
        params: z.object({ id: z.uuid('id must be an attempt id (a uuid)') }),
        response: { 200: AttemptDetail, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { id } = request.params;
      const row = await attemptExplorerRepository.detail(prisma, id);
      if (!row) throw new NotFoundError(`No attempt ${id} is known`);
      return attemptDetail(row, await attemptExplorerRepository.retryChain(prisma, id));
    },
  );
};
