'use client';

import { AttemptOutcomeFilter } from '@station/contracts';
import { useState, type FormEvent } from 'react';
import {
  checkFilter,
  isoToLocalInput,
  localInputToIso,
  type FilterField,
  type FilterProblem,
  type FilterText,
} from '../lib/explorer-filter';
import { PAGE_SIZES } from '../lib/explorer-query';
import styles from './explorer.module.css';

/** The fields of this form (the IMEI has the search box), with their labels. */
const TEXT_FIELDS: readonly { field: FilterField; label: string; placeholder: string }[] = [
  { field: 'station', label: 'Station', placeholder: 'station code' },
  { field: 'slot', label: 'Slot', placeholder: '1–256' },
  { field: 'errorCode', label: 'Error code', placeholder: 'e.g. 2004' },
  { field: 'package', label: 'Package', placeholder: 'package name' },
];

/**
 * The API's filters as a form. "Apply" checks them with the API's schema and, when they are
 * right, puts them into the address (shareable; the back button returns to the previous filter).
 */
export function ExplorerFilters({
  filter,
  limit,
  onApply,
}: {
  filter: FilterText;
  limit: number;
  onApply: (filter: FilterText, limit: number) => void;
}) {
  const [draft, setDraft] = useState<FilterText>(() => ({
    ...filter,
    from: filter.from && isoToLocalInput(filter.from),
    to: filter.to && isoToLocalInput(filter.to),
  }));
  const [size, setSize] = useState(limit);
  const [problems, setProblems] = useState<FilterProblem[]>([]);
  const set = (field: FilterField, value: string) => setDraft({ ...draft, [field]: value });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: FilterText = {
      ...draft,
      imei: filter.imei,
      from: draft.from && localInputToIso(draft.from),
      to: draft.to && localInputToIso(draft.to),
    };
    const checked = checkFilter(next);
    if (!checked.ok) return setProblems(checked.problems);
    setProblems([]);
    onApply(next, size);
  };

  const input = (field: FilterField, label: string, type: string, placeholder = '') => (
    <label className={styles.field} key={field}>
      {label}
      <input
        type={type}
        data-testid={`filter-${field}`}
        value={draft[field] ?? ''}
        placeholder={placeholder}
        onChange={(event) => set(field, event.target.value)}
      />
    </label>
  );

  return (
    <form className={styles.panel} onSubmit={submit} data-testid="explorer-filters">
      <div className={styles.filters}>
        {input('from', 'From', 'datetime-local')}
        {input('to', 'To (before)', 'datetime-local')}
        {TEXT_FIELDS.map(({ field, label, placeholder }) =>
          input(field, label, 'text', placeholder),
        )}
        <label className={styles.field}>
          Outcome
          <select
            data-testid="filter-outcome"
            value={draft.outcome ?? ''}
            onChange={(event) => set('outcome', event.target.value)}
          >
            <option value="">any</option>
            {AttemptOutcomeFilter.options.map((outcome) => (
              <option key={outcome} value={outcome}>
                {outcome}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.field}>
          Rows per page
          <select
            data-testid="filter-limit"
            value={size}
            onChange={(event) => setSize(Number(event.target.value))}
          >
            {[...new Set([...PAGE_SIZES, limit])].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <div className={styles.actions}>
          <button type="submit" data-testid="filter-apply">
            Apply
          </button>
        </div>
      </div>
      {problems.map((problem) => (
        <p
          key={problem.field}
          className={styles.problem}
          role="alert"
          data-testid="filter-problem"
          data-field={problem.field}
        >
          {problem.message}
        </p>
      ))}
    </form>
  );
}
