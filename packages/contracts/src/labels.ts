import { z } from 'zod';
import { imeiCheckDigit } from './imei';

/**
 * Module labels as a barcode scanner types them (issue #9 §4): a plain IMEI, or a 1D/2D label
 * carrying the IMEI among other fields. A label format is a named regular expression with a named
 * `imei` group and optional `model`, `sn` and `date` groups. Pure: the server parses every scan
 * with it, and the dashboard may use it to show what it is sending.
 */

/** A label as scanned, at most this long (a 2D code holds a few hundred characters at most). */
export const LABEL_MAX_LENGTH = 512;

/** Between a label's fields: `;` `,` `|`, tab, CR/LF, GS (0x1D) and spaces. */
const SEP = '[;,|\\t\\r\\n\\x1d ]';
/** One field's value: anything up to the next separator. */
const VALUE = '[^;,|\\t\\r\\n\\x1d ]+';
/** Between a key and its value: `:` or `=` (spaces around allowed), or spaces alone. */
const AFTER_KEY = '(?:\\s*[:=]\\s*|\\s+)';
/** An optional `KEY:value` field anywhere in the label, captured as `group` when present. */
const keyed = (keys: string, group: string, value = VALUE) =>
  `(?=(?:[\\s\\S]*?(?:^|${SEP})(?:${keys})${AFTER_KEY}(?<${group}>${value}))?)`;

export const LabelFormat = z
  .object({
    /** Shown in refusals and stored on the attempt (`label_format`). */
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a format name is 1–64 of a-z, 0-9, ".", "_", "-"'),
    /** Tested against the whole label (ends trimmed); `imei` group required, `(?<imei>…)`. */
    pattern: z.string().min(1).max(2000),
    /** Regular-expression flags, e.g. `i` (no `g` or `y`: a label is matched once). */
    flags: z
      .string()
      .regex(/^[imsu]*$/, 'flags may only be i, m, s or u')
      .default(''),
    description: z.string().max(500).optional(),
  })
  .superRefine((format, ctx) => {
    let compiled: RegExp;
    try {
      compiled = new RegExp(format.pattern, format.flags);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['pattern'],
        message: `is not a regular expression (${(error as Error).message})`,
      });
      return;
    }
    if (!/\(\?<imei>/.test(compiled.source))
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'has no (?<imei>…) group' });
  });
export type LabelFormat = z.input<typeof LabelFormat>;

/**
 * The formats every server knows, tried after the site's own (LABEL_FORMATS). The vendor-style
 * ones are examples of common layouts, not any vendor's specification: check your labels.
 */
export const BUILT_IN_LABEL_FORMATS: readonly LabelFormat[] = [
  {
    name: 'imei',
    description: 'A plain IMEI (1D barcode): `861359031000011`.',
    pattern: '^(?<imei>\\d+)$',
  },
  {
    name: 'keyed',
    description:
      'Key/value fields in any order, e.g. a Quectel-style 2D label ' +
      '`IMEI:861359031000011;SN:MPB19LA0001234;MODEL:EC21EUXGA`. Keys: IMEI, SN, MODEL or PN, ' +
      'DATE; separators `;` `,` `|` tab, GS or space; `:` `=` or a space after the key.',
    // At least one known key makes a label of this format, so a keyed label without an IMEI
    // field is refused as one.
    pattern:
      `^(?=[\\s\\S]*?(?:^|${SEP})(?:IMEI|SN|S/N|MODEL|PN|DATE)${AFTER_KEY})` +
      keyed('IMEI', 'imei', '\\d+') +
      keyed('SN|S/N', 'sn') +
      keyed('MODEL|PN', 'model') +
      keyed('DATE', 'date'),
    flags: 'i',
  },
  {
    name: 'model-imei-sn',
    description:
      'A Quectel-style 2D label of bare fields: model, IMEI, serial number, e.g. ' +
      '`MC60CA 861359031000011 MPB19LA0001234` (any one separator between fields).',
    pattern: `^(?<model>[A-Z][A-Z0-9-]{2,31})${SEP}+(?<imei>\\d{8,})${SEP}+(?<sn>[A-Z0-9]{4,32})$`,
    flags: 'i',
  },
  {
    name: 'simcom-pipe',
    description:
      'A SIMCom-style 2D label: model|serial number|IMEI|date, e.g. ' +
      '`SIM7600E-H|S2E1234567890|861359031000011|20260315`.',
    pattern: '^(?<model>SIM[A-Z0-9-]+)\\|(?<sn>[A-Z0-9]+)\\|(?<imei>\\d+)\\|(?<date>\\d{6,8})$',
    flags: 'i',
  },
];

export interface LabelFields {
  imei: string;
  model?: string;
  sn?: string;
  date?: string;
}

export type LabelReading =
  | ({ ok: true; format: string } & LabelFields)
  /** `problem`: which part failed (the sentence's tail); `format`: the format it looked like. */
  | { ok: false; format: string | null; problem: string; message: string };

/** The formats a server uses: the site's own first (a same-named one replaces a built-in). */
export function labelFormats(extra: readonly LabelFormat[] = []): LabelFormat[] {
  const names = new Set(extra.map((f) => f.name));
  return [...extra, ...BUILT_IN_LABEL_FORMATS.filter((f) => !names.has(f.name))];
}

/** GS (group separator, 0x1D): 2D codes separate fields with it. */
const GS = String.fromCharCode(0x1d);
/** Scanners add CR/LF, spaces or a trailing GS around a label: not part of it. */
function trimLabel(raw: string): string {
  let start = 0;
  let end = raw.length;
  const blank = (c: string) => c === GS || /\s/.test(c);
  while (start < end && blank(raw[start]!)) start += 1;
  while (end > start && blank(raw[end - 1]!)) end -= 1;
  return raw.slice(start, end);
}

/** How the label is quoted in a refusal: control characters visible, long ones cut. */
function quoted(label: string): string {
  const visible = label.replace(/\t/g, '⇥').replaceAll(GS, '<GS>');
  return `"${visible.length > 60 ? `${visible.slice(0, 57)}…` : visible}"`;
}

/** Why an IMEI field is no IMEI, or null when it is one. */
function imeiProblem(digits: string): string | null {
  if (digits.length !== 15) return `the IMEI field has ${digits.length} digits, expected 15`;
  const expected = imeiCheckDigit(digits.slice(0, 14));
  if (expected !== Number(digits[14]))
    return `the IMEI's check digit is ${digits[14]}, expected ${expected}`;
  return null;
}

/**
 * Reads a scanned label with the given formats (in order). The first format whose pattern matches
 * and whose IMEI field is a valid IMEI wins; else the refusal names the first format that matched
 * and what was wrong with its IMEI field, or says that no format matched.
 */
export function parseLabel(
  raw: string,
  formats: readonly LabelFormat[] = BUILT_IN_LABEL_FORMATS,
): LabelReading {
  const label = trimLabel(raw);
  const refuse = (format: string | null, problem: string): LabelReading => ({
    ok: false,
    format,
    problem,
    message: `Label ${quoted(label)} not readable: ${problem}`,
  });
  if (label === '') return refuse(null, 'nothing was scanned');
  if (label.length > LABEL_MAX_LENGTH)
    return refuse(null, `it is ${label.length} characters long, at most ${LABEL_MAX_LENGTH}`);
  let firstProblem: { format: string; problem: string } | null = null;
  for (const format of formats) {
    const groups = new RegExp(format.pattern, format.flags ?? '').exec(label)?.groups;
    if (!groups) continue;
    const imei = groups.imei;
    const wrong = imei === undefined ? null : imeiProblem(imei);
    const problem =
      imei === undefined
        ? `no IMEI field in a label of format ${format.name}`
        : wrong && `${wrong} (format ${format.name})`;
    if (problem === null) {
      const fields: Omit<LabelFields, 'imei'> = {};
      for (const key of ['model', 'sn', 'date'] as const)
        if (groups[key] !== undefined) fields[key] = groups[key];
      return { ok: true, format: format.name, imei: imei!, ...fields };
    }
    firstProblem ??= { format: format.name, problem };
  }
  if (firstProblem) return refuse(firstProblem.format, firstProblem.problem);
  return refuse(
    null,
    `no label format matched (known: ${formats.map((f) => f.name).join(', ')}): scan the module's IMEI barcode`,
  );
}

/** `LABEL_FORMATS`: a JSON array of label formats (server env). */
export const LabelFormatList = z.array(LabelFormat).superRefine((formats, ctx) => {
  const seen = new Set<string>();
  for (const [i, format] of formats.entries()) {
    if (seen.has(format.name))
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${format.name}" twice` });
    seen.add(format.name);
  }
});
