'use client';

import type { SessionUser, UserSummary } from '@station/contracts';
import { Fragment, useCallback, useMemo, useState } from 'react';
import { adminClient } from '../lib/admin-client';
import { ROLE_LABEL } from '../lib/navigation';
import { settle, useAdminList, type Outcome } from '../lib/use-admin-list';
import styles from './admin.module.css';
import { ConfirmButton } from './confirm-button';
import { OutcomeLine } from './outcome-line';
import { AddUserForm, EditUserForm } from './user-forms';

const signInWays = (user: UserSummary) =>
  [user.hasPassword && 'password', user.hasBadge && 'badge'].filter(Boolean).join(' + ') || 'none';

/** The People page: everyone who may sign in, adding them, changing them, disabling them. */
export function PeopleAdmin({
  serverUrl,
  me,
  signedOut,
}: {
  serverUrl: string;
  me: SessionUser;
  signedOut: () => void;
}) {
  const client = useMemo(() => adminClient(serverUrl), [serverUrl]);
  const load = useCallback(() => client.listUsers(), [client]);
  const { value, error, reload } = useAdminList(load, signedOut);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [editing, setEditing] = useState<string | null>(null);

  const run = async (result: Parameters<typeof settle>[0], success: string) => {
    const settled = await settle(result, success, reload, signedOut);
    setOutcome(settled);
    return settled;
  };

  return (
    <>
      <section className={styles.section}>
        <h2 className={styles.sectionTitle}>Add a user</h2>
        <p className={styles.muted}>
          Operators sign in at a kiosk with their badge; everyone else with a password.
        </p>
        <AddUserForm
          onSubmit={async (request) =>
            run(await client.createUser(request), `Added ${request.username}`)
          }
        />
      </section>
      <OutcomeLine outcome={outcome} />
      <section className={styles.section}>
        <h2 className={styles.sectionTitle}>People</h2>
        {error && (
          <p className={styles.error} role="alert" data-testid="list-error">
            {error}
          </p>
        )}
        {value && (
          <table className={styles.table} data-testid="user-list">
            <thead>
              <tr>
                <th>User name</th>
                <th>Name</th>
                <th>Role</th>
                <th>Signs in with</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {value.users.map((user) => (
                <Fragment key={user.id}>
                  <tr
                    data-testid="user-row"
                    data-username={user.username}
                    data-disabled={user.disabled}
                  >
                    <td>{user.username}</td>
                    <td>{user.displayName}</td>
                    <td data-testid="user-role">{ROLE_LABEL[user.role]}</td>
                    <td className={styles.muted}>{signInWays(user)}</td>
                    <td data-testid="user-status">{user.disabled ? 'Disabled' : 'Active'}</td>
                    <td>
                      <div className={styles.actions}>
                        <button
                          type="button"
                          className={styles.quiet}
                          data-testid="user-edit"
                          onClick={() => setEditing(editing === user.id ? null : user.id)}
                        >
                          Edit
                        </button>
                        {/* Nobody disables themselves (the server refuses it too). */}
                        {user.id !== me.id &&
                          (user.disabled ? (
                            <button
                              type="button"
                              className={styles.quiet}
                              data-testid="user-enable"
                              onClick={async () =>
                                void run(
                                  await client.updateUser(user.id, { disabled: false }),
                                  `Enabled ${user.username}`,
                                )
                              }
                            >
                              Enable
                            </button>
                          ) : (
                            <ConfirmButton
                              label="Disable"
                              question={`Disable ${user.username}? They are signed out everywhere now.`}
                              testId="user-disable"
                              onConfirm={async () =>
                                void (await run(
                                  await client.updateUser(user.id, { disabled: true }),
                                  `Disabled ${user.username}: signed out everywhere`,
                                ))
                              }
                            />
                          ))}
                      </div>
                    </td>
                  </tr>
                  {editing === user.id && (
                    <tr>
                      <td colSpan={6}>
                        <EditUserForm
                          user={user}
                          onCancel={() => setEditing(null)}
                          onSubmit={async (request) =>
                            run(
                              await client.updateUser(user.id, request),
                              `Changed ${user.username}`,
                            )
                          }
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
