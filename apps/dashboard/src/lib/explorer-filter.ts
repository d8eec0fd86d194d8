import { AttemptFilter, AttemptOutcomeFilter } from '@station/contracts';

/** The explorer's filters, in the order the form and the URL show them (the API's names). */
export const FILTER_FIELDS = [
  'imei',
  'from',
  'to',
  'station',
  'slot',
  'errorCode',
  'outcome',
  'package',
] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** Filters as the URL and the form hold them: text, as typed; absent or '' means "any". */
export type FilterText = Partial<Record<FilterField, string>>;

export interface FilterProblem {
  field: FilterField;
  message: string;
}

export type CheckedFilter =
  { ok: true; filter: AttemptFilter } | { ok: false; problems: FilterProblem[] };

/** What each field must be, in the words the page shows when it is not. */
const EXPECTED: Record<FilterField, string> = {
  imei: 'IMEI must be 15 digits with a valid check digit',
  from: 'From must be a date and time',
  to: 'To must be a date and time',
  station: 'Station must be a station code of at most 64 characters',
  slot: 'Slot must be a whole number from 1 to 256',
  errorCode: 'Error code must be a whole number, e.g. 2004',
  outcome: `Outcome must be one of ${AttemptOutcomeFilter.options.join(', ')}`,
  package: 'Package must be a package name of at most 200 characters',
};

/** Only digits: z.coerce alone would read "1e3" or " 7" as numbers. */
const WHOLE = /^\d+$/;

/**
 * Checks the filters with the API's own schema (packages/contracts), field by field, so each
 * problem names its field; `from` must be earlier than `to`, as the server requires.
 */
export function checkFilter(text: FilterText): CheckedFilter {
  const problems: FilterProblem[] = [];
  const filter: Record<string, unknown> = {};
  for (const field of FILTER_FIELDS) {
    const value = text[field]?.trim();
    if (!value) continue;
    const numeric = field === 'slot' || field === 'errorCode';
    const parsed = AttemptFilter.shape[field].safeParse(value);
    if (!parsed.success || (numeric && !WHOLE.test(value))) {
      problems.push({ field, message: EXPECTED[field] });
    } else {
      filter[field] = parsed.data;
    }
  }
  const { from, to } = filter as AttemptFilter;
  if (from && to && Date.parse(from) >= Date.parse(to)) {
    problems.push({ field: 'to', message: 'To must be later than From' });
  }
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, filter: filter as AttemptFilter };
}

/** The filter as the URL keeps it: each set field as text, in FILTER_FIELDS order. */
export function filterText(filter: AttemptFilter): FilterText {
  const text: FilterText = {};
  for (const field of FILTER_FIELDS) {
    const value = filter[field];
    if (value !== undefined) text[field] = String(value);
  }
  return text;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO time as a `datetime-local` input shows it: the browser's local time, to the minute. */
export function isoToLocalInput(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** A `datetime-local` input's value (local time) as the ISO time the URL and the API take. */
export function localInputToIso(local: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return local;
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? local : at.toISOString();
}
