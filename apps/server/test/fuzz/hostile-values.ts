// Inputs nobody should send: the values every fuzz test mixes into otherwise valid requests.
import fc from 'fast-check';

/** Keys that pollute a prototype when a handler merges input into an object. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Strings at the edges: empty, control and lone-surrogate characters, paths, SQL, huge. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\uD800',
    '\u202Eevil',
    '🙂🙂🙂',
    '../../../etc/passwd',
    '%00',
    '%ZZ',
    "'; DROP TABLE users; --",
    '${jndi:ldap://x}',
    '<script>alert(1)</script>',
    'null',
    'NaN',
    '-1',
    '1e309',
    '00000000-0000-0000-0000-000000000000',
    ...PROTOTYPE_KEYS,
  ),
  // Huge: past every field's limit (the body limit is the server's to enforce).
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

/** Numbers at the limits of 32-bit, 53-bit and double, and ones JSON turns into null. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    -1,
    0.5,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31) - 1,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    1e308,
    -1e308,
    5e-324,
  ),
);

/** Any JSON value, hostile leaves included, nested a few levels. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    hostileNumber,
    hostileString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom(...PROTOTYPE_KEYS)), tie('value'), {
      maxKeys: 4,
    }),
  ),
})).value;

/**
 * JSON text whose first key is a prototype key. `JSON.stringify` would drop an own `__proto__`
 * set through assignment, so the text is written by hand around the object's own text.
 */
export const withPrototypeKey = (body: unknown): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS), hostileJson).map(([key, value]) => {
    const rest = JSON.stringify(body);
    const inner = `"${key}":${JSON.stringify(value ?? null) ?? 'null'}`;
    return rest?.startsWith('{') && rest !== '{}'
      ? `{${inner},${rest.slice(1)}`
      : `{${inner},"${key}2":{"role":"admin","isAdmin":true}}`;
  });

/**
 * A valid value mutated one way: a field replaced by a hostile value, a field dropped, an unknown
 * field added, or the whole value replaced; values that are not objects are replaced or kept.
 */
export const mutated = (valid: unknown): fc.Arbitrary<unknown> => {
  if (typeof valid !== 'object' || valid === null || Array.isArray(valid))
    return fc.oneof(fc.constant(valid), hostileJson);
  const record = valid as Record<string, unknown>;
  const keys = Object.keys(record);
  const pick = fc.nat().map((i) => keys[i % Math.max(keys.length, 1)]);
  return fc.oneof(
    fc.constant(valid),
    keys.length === 0
      ? hostileJson
      : fc.tuple(pick, hostileJson).map(([key, value]) => ({ ...record, [key!]: value })),
    keys.length === 0
      ? hostileJson
      : pick.map((key) => Object.fromEntries(Object.entries(record).filter(([k]) => k !== key))),
    fc.tuple(fc.string(), hostileJson).map(([key, value]) => ({ ...record, [key]: value })),
    fc.constant([valid]),
    hostileJson,
  );
};

/** `s` %-encoded for a URL or header; a lone surrogate (which cannot be encoded) becomes a word. */
export const urlEncoded = (s: string): string => {
  try {
    return encodeURIComponent(s);
  } catch {
    return 'lone-surrogate';
  }
};
