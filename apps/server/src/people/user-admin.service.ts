// Admins add, change and disable people (docs/security.md "Managing people, keys and stations").
// Each change and its audit event are one transaction; passwords are hashed and badges turned into
// their lookup before it starts, so neither is ever stored, logged or audited as given.
import type { CreateUserRequest, UpdateUserRequest, UserSummary } from '@station/contracts';
import {
  auditRepository,
  isUniqueViolation,
  sessionRepository,
  userRepository,
  type PrismaClient,
} from '@station/db';
import type { Principal } from '../auth/access';
import { auditActor } from '../auth/audit-actor';
import { hashPassword } from '../auth/password-hash';
import { NotFoundError } from '../errors';
import { badgeTaken, creationConflict } from './user-conflicts';
import { changesNothing, planUserChange } from './user-change';
import { userSummary } from './user-summary';

export interface UserAdminDeps {
  prisma: PrismaClient;
  /** The badge lookup (AuthService.badgeLookup: HMAC with the server's pepper). */
  badgeLookup: (badge: string) => string;
  /** Disconnects the sockets of sessions just revoked, on every server instance. */
  sessionsEnded: (sessionIds: string[]) => void;
}

export class UserAdminService {
  constructor(private readonly deps: UserAdminDeps) {}

  async list(): Promise<UserSummary[]> {
    return (await userRepository.list(this.deps.prisma)).map(userSummary);
  }

  async create(input: CreateUserRequest, actor: Principal): Promise<UserSummary> {
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
    const badgeLookup = input.badge === undefined ? null : this.deps.badgeLookup(input.badge);
    const user = await this.deps.prisma.$transaction(async (tx) => {
      const created = await userRepository.createIfMissing(tx, {
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        passwordHash,
        badgeLookup,
      });
      if (!created) throw await creationConflict(tx, { username: input.username, badgeLookup });
      await auditRepository.record(tx, {
        ...auditActor(actor),
        action: 'user.create',
        entityType: 'user',
        entityId: created.id,
        details: {
          // Whether a password and badge were set, never what they are (as at first start).
          after: {
            username: created.username,
            displayName: created.displayName,
            role: created.role,
            password: passwordHash !== null,
            badge: badgeLookup !== null,
          },
        },
      });
      return created;
    });
    return userSummary(user);
  }

  async update(id: string, change: UpdateUserRequest, actor: Principal): Promise<UserSummary> {
    const passwordHash =
      change.password === undefined ? undefined : await hashPassword(change.password);
    const badgeLookup =
      change.badge === undefined ? undefined : change.badge && this.deps.badgeLookup(change.badge);
    const self = actor.via === 'session' && actor.user.id === id;
    const { user, ended } = await this.deps.prisma
      .$transaction(async (tx) => {
        // First, so concurrent changes to admins run one after the other (see lockEnabledAdmins).
        const admins = await userRepository.lockEnabledAdmins(tx);
        const before = await userRepository.findById(tx, id);
        if (!before) throw new NotFoundError(`No user has the id ${id}`);
        if (badgeLookup) {
          const holder = await userRepository.findHolder(tx, { badgeLookup });
          if (holder && holder.id !== id) throw badgeTaken(holder);
        }
        const now = new Date();
        const plan = planUserChange({
          before,
          change,
          passwordHash,
          badgeLookup,
          self,
          otherAdmins: admins.filter((adminId) => adminId !== id).length,
          now,
        });
        if (changesNothing(plan)) return { user: before, ended: [] };
        const user = await userRepository.update(tx, id, plan.data);
        // The admin's own session survives their own change; every other one ends.
        const ended = plan.endsSessions
          ? await sessionRepository.revokeAllOf(tx, id, {
              except: self ? actor.sessionId : null,
              now,
            })
          : [];
        await auditRepository.record(tx, {
          ...auditActor(actor),
          action: 'user.update',
          entityType: 'user',
          entityId: id,
          details: {
            before: plan.before,
            after: plan.after,
            ...plan.secrets,
            ...(plan.endsSessions && { sessionsEnded: ended.length }),
          },
        });
        return { user, ended };
      })
      .catch(async (error: unknown) => {
        // Enrolled elsewhere between the check and the write.
        if (badgeLookup && isUniqueViolation(error, 'badge_lookup')) {
          const holder = await userRepository.findHolder(this.deps.prisma, { badgeLookup });
          if (holder) throw badgeTaken(holder);
        }
        throw error;
      });
    if (ended.length > 0) this.deps.sessionsEnded(ended);
    return userSummary(user);
  }
}
