'use client';

import { CreateUserRequest, Role, UpdateUserRequest, type UserSummary } from '@station/contracts';
import { useState, type FormEvent } from 'react';
import { describeIssues } from '../lib/describe-issues';
import { ROLE_LABEL } from '../lib/navigation';
import type { Outcome } from '../lib/use-admin-list';
import styles from './admin.module.css';

/** An empty field means "not given". */
const given = (form: FormData, name: string): string | undefined => {
  const value = String(form.get(name) ?? '');
  return value === '' ? undefined : value;
};

function RoleSelect({ name, value, testId }: { name: string; value?: string; testId: string }) {
  return (
    <select
      name={name}
      defaultValue={value ?? 'operator'}
      className={styles.input}
      data-testid={testId}
    >
      {Role.options.map((role) => (
        <option key={role} value={role}>
          {ROLE_LABEL[role]}
        </option>
      ))}
    </select>
  );
}

/** Adds a user: a password, a badge (scanned into the field) or both. */
export function AddUserForm({
  onSubmit,
}: {
  onSubmit: (request: CreateUserRequest) => Promise<Outcome>;
}) {
  const [busy, setBusy] = useState(false);
  const [invalid, setInvalid] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const parsed = CreateUserRequest.safeParse({
      username: String(form.get('username') ?? ''),
      displayName: String(form.get('displayName') ?? ''),
      role: String(form.get('role') ?? ''),
      password: given(form, 'password'),
      badge: given(form, 'badge'),
    });
    if (!parsed.success) {
      setInvalid(`Not added: ${describeIssues(parsed.error)}`);
      return;
    }
    setInvalid(null);
    setBusy(true);
    const outcome = await onSubmit(parsed.data);
    setBusy(false);
    if (outcome.ok) element.reset();
  };

  return (
    <form className={styles.form} onSubmit={(event) => void submit(event)} data-testid="add-user">
      <label className={styles.field}>
        User name
        <input name="username" className={styles.input} data-testid="add-user-username" />
      </label>
      <label className={styles.field}>
        Display name
        <input name="displayName" className={styles.input} data-testid="add-user-display-name" />
      </label>
      <label className={styles.field}>
        Role
        <RoleSelect name="role" testId="add-user-role" />
      </label>
      <label className={styles.field}>
        Password (12+ characters)
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          className={styles.input}
          data-testid="add-user-password"
        />
      </label>
      <label className={styles.field}>
        Badge (scan it here)
        <input
          name="badge"
          inputMode="numeric"
          autoComplete="off"
          className={styles.input}
          data-testid="add-user-badge"
        />
      </label>
      <button type="submit" className={styles.button} disabled={busy} data-testid="add-user-submit">
        {busy ? 'Adding…' : 'Add user'}
      </button>
      {invalid && (
        <p className={styles.error} role="alert" data-testid="add-user-invalid">
          {invalid}
        </p>
      )}
    </form>
  );
}

/** Changes one user: only the fields that differ are sent; empty secret fields keep the old ones. */
export function EditUserForm({
  user,
  onSubmit,
  onCancel,
}: {
  user: UserSummary;
  onSubmit: (request: UpdateUserRequest) => Promise<Outcome>;
  onCancel: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [invalid, setInvalid] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const displayName = String(form.get('displayName') ?? '').trim();
    const role = String(form.get('role') ?? '');
    const parsed = UpdateUserRequest.safeParse({
      displayName: displayName === user.displayName ? undefined : displayName,
      role: role === user.role ? undefined : role,
      password: given(form, 'password'),
      badge: form.get('removeBadge') === 'on' ? null : given(form, 'badge'),
    });
    if (!parsed.success) {
      setInvalid(`Not changed: ${describeIssues(parsed.error)}`);
      return;
    }
    setInvalid(null);
    setBusy(true);
    const outcome = await onSubmit(parsed.data);
    setBusy(false);
    if (outcome.ok) onCancel();
  };

  return (
    <form className={styles.form} onSubmit={(event) => void submit(event)} data-testid="edit-user">
      <label className={styles.field}>
        Display name
        <input
          name="displayName"
          defaultValue={user.displayName}
          className={styles.input}
          data-testid="edit-user-display-name"
        />
      </label>
      <label className={styles.field}>
        Role
        <RoleSelect name="role" value={user.role} testId="edit-user-role" />
      </label>
      <label className={styles.field}>
        New password
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          className={styles.input}
          data-testid="edit-user-password"
        />
      </label>
      <label className={styles.field}>
        New badge
        <input
          name="badge"
          autoComplete="off"
          className={styles.input}
          data-testid="edit-user-badge"
        />
      </label>
      {user.hasBadge && (
        <label className={styles.field}>
          <span>
            <input type="checkbox" name="removeBadge" data-testid="edit-user-remove-badge" /> Remove
            badge
          </span>
        </label>
      )}
      <button
        type="submit"
        className={styles.button}
        disabled={busy}
        data-testid="edit-user-submit"
      >
        {busy ? 'Saving…' : 'Save'}
      </button>
      <button type="button" className={styles.quiet} onClick={onCancel}>
        Cancel
      </button>
      {invalid && (
        <p className={styles.error} role="alert" data-testid="edit-user-invalid">
          {invalid}
        </p>
      )}
    </form>
  );
}
