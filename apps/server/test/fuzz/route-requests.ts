// Generated requests for one route of the role matrix: its path parameters, query and body start
// from what its OpenAPI schema (its zod contract) accepts and are mutated, or are garbage outright;
// bodies come with matching, mismatched or missing content types, and multipart garbage.
import fc from 'fast-check';
import { CALLERS, type Caller } from './fuzz-line';
import {
  hostileJson,
  hostileString,
  mutated,
  urlEncoded,
  withPrototypeKey,
} from './hostile-values';
import { schemaArbitrary, type JsonSchema, type SchemaComponents } from './schema-arbitrary';

export interface FuzzRequest {
  caller: Caller;
  method: string;
  /** Path and query, as sent (and as a station signs it). */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | FormData;
  /** What the body is, for the counterexample fast-check prints. */
  bodyKind?: string;
}

interface OpenApiParameter {
  in: string;
  name: string;
  schema?: JsonSchema;
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: SchemaComponents };
}

/** Method and URL of a ROUTE_MATRIX key (`OPTIONS *` stands for every path). */
export const parseRouteKey = (key: string) => {
  const [method, url] = key.split(' ') as [string, string];
  return { method, url };
};

// Path segments and query values stay under Node's 16 KiB header limit: past it Node's own HTTP
// parser answers 431 before the app sees the request. Huge strings go in bodies.
const short = (s: string) => s.slice(0, 2_000);
const encode = (s: string) => urlEncoded(short(s));

const WRITE_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'application/json; charset=utf-16',
  'multipart/form-data; boundary=fuzz',
  'application/octet-stream',
];

interface GeneratedBody {
  body: string | Uint8Array | FormData;
  kind: string;
  headers: Record<string, string>;
}

/** Multipart bodies: random parts, field names and file names, some with a real-looking file. */
const multipartGarbage: fc.Arbitrary<GeneratedBody> = fc
  .array(
    fc.record({
      field: fc.oneof(
        fc.constant('file'),
        hostileString.map((s) => s.slice(0, 200)),
      ),
      fileName: fc.option(hostileString.map((s) => s.slice(0, 300))),
      bytes: fc.uint8Array({ maxLength: 4_000 }),
    }),
    { maxLength: 4 },
  )
  .map((parts) => {
    const form = new FormData();
    for (const part of parts) {
      if (part.fileName === null) form.append(part.field, new TextDecoder().decode(part.bytes));
      else form.append(part.field, new Blob([part.bytes]), part.fileName);
    }
    return { body: form, kind: 'multipart garbage', headers: {} };
  });

export function routeRequests(routeKey: string, doc: OpenApiDocument): fc.Arbitrary<FuzzRequest> {
  const { method, url } = parseRouteKey(routeKey);
  const openApiUrl = url.replace(/:([A-Za-z]+)/g, '{$1}');
  const operation = doc.paths[openApiUrl]?.[method.toLowerCase()];
  const components = doc.components?.schemas ?? {};
  const parameters = operation?.parameters ?? [];
  const schemaOf = (where: string, name: string) =>
    parameters.find((p) => p.in === where && p.name === name)?.schema;

  const segment = (name: string) =>
    fc
      .oneof(
        schemaArbitrary(schemaOf('path', name), components).map(String),
        hostileString,
        fc.constantFrom('..', '.', '%', '%2F', '%2e%2e', ' '),
      )
      .map((value) => (/^%|^\.{1,2}$/.test(value) ? value : encode(value)));
  const pathArb =
    url === '*'
      ? fc.constantFrom('/api/health', '/api/stations', '/api/nope', '/docs/json')
      : url.split('/').reduce<fc.Arbitrary<string>>((prefix, part, index) => {
          if (index === 0) return prefix;
          const next = part.startsWith(':')
            ? segment(part.slice(1))
            : part === '*'
              ? hostileString.map(encode)
              : fc.constant(part);
          return fc.tuple(prefix, next).map(([p, n]) => `${p}/${n}`);
        }, fc.constant(''));

  const queryParameters = parameters.filter((p) => p.in === 'query');
  const validQuery = fc.record(
    Object.fromEntries(queryParameters.map((p) => [p.name, schemaArbitrary(p.schema, components)])),
    { requiredKeys: [] },
  );
  const queryArb = fc.oneof(
    fc.constant(''),
    fc.tuple(validQuery, hostileJson, fc.option(fc.string())).map(([query, extra, key]) => {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(query))
        params.append(name, short(typeof value === 'string' ? value : JSON.stringify(value)));
      if (key !== null) params.append(short(key), short(JSON.stringify(extra) ?? ''));
      return `?${params.toString()}`;
    }),
    fc.constantFrom(
      '?%ZZ',
      '?a[b][c]=1',
      '?__proto__[role]=admin',
      '?constructor[prototype][x]=1',
      '?limit=1&limit=2',
      '?limit=-1',
      '?limit=1e400',
      '?from=not-a-date&to=2026-13-45T99:99:99Z',
      '?&&&==',
    ),
  );

  const bodySchema = operation?.requestBody?.content?.['application/json']?.schema;
  const validBody = schemaArbitrary(bodySchema, components);
  const json = (
    kind: string,
    type: string | null,
    text: fc.Arbitrary<string>,
  ): fc.Arbitrary<GeneratedBody> =>
    text.map((body): GeneratedBody => ({
      body,
      kind,
      headers: type ? { 'content-type': type } : {},
    }));
  const bodyArb: fc.Arbitrary<GeneratedBody> = fc.oneof(
    json(
      'mutated JSON',
      'application/json',
      validBody.chain(mutated).map((v) => JSON.stringify(v) ?? 'null'),
    ),
    json('prototype keys', 'application/json', validBody.chain(withPrototypeKey)),
    json(
      'arbitrary JSON',
      'application/json',
      hostileJson.map((v) => JSON.stringify(v) ?? 'null'),
    ),
    json(
      'truncated JSON',
      'application/json',
      fc.tuple(validBody, fc.nat()).map(([v, n]) => {
        const text = JSON.stringify(v) ?? '{}';
        return text.slice(0, n % Math.max(text.length, 1));
      }),
    ),
    json(
      'mismatched type',
      null,
      validBody.map((v) => JSON.stringify(v) ?? 'null'),
    ).chain((b) =>
      fc.constantFrom(...WRITE_TYPES).map((type) => ({ ...b, headers: { 'content-type': type } })),
    ),
    fc.uint8Array({ maxLength: 2_000 }).chain((bytes) =>
      fc.constantFrom(...WRITE_TYPES, 'application/json').map((type) => ({
        body: bytes,
        kind: 'random bytes',
        headers: { 'content-type': type },
      })),
    ),
    multipartGarbage,
  );

  const writes = !['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(method);
  return fc
    .record({
      // Admins one time in three, so every route is also fuzzed past its guard.
      caller: fc.oneof(
        ...CALLERS.map((caller) => ({
          arbitrary: fc.constant(caller),
          weight: caller === 'admin' ? 4 : 1,
        })),
      ),
      path: pathArb,
      query: queryArb,
      body: writes ? fc.option(bodyArb, { freq: 8 }) : fc.constant(null),
    })
    .map(({ caller, path, query, body }): FuzzRequest => ({
      caller,
      method,
      path: `${path}${query}`,
      headers: body?.headers ?? {},
      ...(body ? { body: body.body, bodyKind: body.kind } : {}),
    }));
}
