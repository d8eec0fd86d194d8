// Who an audit event names for a request: a signed-in user by id, a script by its key's prefix.
import type { AuditEventInput } from '@station/db';
import type { Principal } from './access';

export const auditActor = (
  principal: Principal,
): Pick<AuditEventInput, 'actorId' | 'actorLabel'> =>
  principal.via === 'session'
    ? { actorId: principal.user.id, actorLabel: `user:${principal.user.id}` }
    : // An API key is no user: `actor_id` references users, so the key is named in the label.
      { actorId: null, actorLabel: principal.user.username };
