// Values of the shape a route's OpenAPI schema describes (the schema is generated from its zod
// contract), so the fuzz tests start from requests the route would accept and mutate them. Only
// what the contracts use is read; anything else becomes arbitrary JSON.
import fc from 'fast-check';
import { hostileJson } from './hostile-values';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

/** How `$ref`s are resolved: the document's `components.schemas`. */
export type SchemaComponents = Record<string, JsonSchema>;

const MAX_DEPTH = 6;
const SMALL = 1e6;

export function schemaArbitrary(
  schema: JsonSchema | undefined,
  components: SchemaComponents = {},
  depth = 0,
): fc.Arbitrary<unknown> {
  if (!schema || depth > MAX_DEPTH) return hostileJson;
  const inner = (s: JsonSchema | undefined) => schemaArbitrary(s, components, depth + 1);
  if (schema.$ref) return inner(components[schema.$ref.split('/').pop()!]);
  const base = shapeOf(schema, inner);
  return schema.nullable ? fc.oneof(base, fc.constant(null)) : base;
}

function shapeOf(
  schema: JsonSchema,
  inner: (s: JsonSchema | undefined) => fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices?.length) return fc.oneof(...choices.map(inner));
  if (schema.allOf?.length) return inner(schema.allOf[0]);
  if (Array.isArray(schema.type))
    return fc.oneof(...schema.type.map((type) => inner({ ...schema, type })));
  switch (schema.type) {
    case 'string':
      return stringOf(schema);
    case 'integer':
    case 'number':
      return numberOf(schema);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(inner(schema.items), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)),
      });
    case 'object':
      return fc.record(
        Object.fromEntries(
          Object.entries(schema.properties ?? {}).map(([key, s]) => [key, inner(s)]),
        ),
        { requiredKeys: (schema.required ?? []).filter((k) => k in (schema.properties ?? {})) },
      );
    default:
      return hostileJson;
  }
}

function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date-time')
    return fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern));
    } catch {
      // A pattern JavaScript cannot read: any string (the server refuses what does not match).
    }
  }
  const minLength = schema.minLength ?? 0;
  return fc.string({
    minLength,
    maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 40, 40)),
  });
}

function numberOf(schema: JsonSchema): fc.Arbitrary<number> {
  const bound = (value: number | boolean | undefined, fallback: number) =>
    typeof value === 'number' ? value : fallback;
  const min = bound(schema.exclusiveMinimum, bound(schema.minimum, -SMALL));
  const max = bound(schema.exclusiveMaximum, bound(schema.maximum, SMALL));
  if (schema.type === 'integer')
    return fc.integer({
      min: Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER),
      max: Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER),
    });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}
