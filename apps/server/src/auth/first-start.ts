// The people a new line starts with: an admin on an empty database, and with DEMO_PASSWORD the
// demo users of the emulated line. Safe on every start and with several instances starting at once.
// Each user is created with its `user.create` audit event in one transaction.
import { randomBytes } from 'node:crypto';
import type { Role } from '@station/contracts';
import {
  auditRepository,
  userRepository,
  type CreateUserInput,
  type PrismaClient,
  type User,
} from '@station/db';
import type { Logger } from '@station/logger';
import { hashPassword } from './password-hash';

/** The demo operator's badge (docs/security.md, README). */
export const DEMO_BADGE = '0001';

const DEMO_USERS: { username: Role; displayName: string; badge?: string }[] = [
  { username: 'operator', displayName: 'Demo operator', badge: DEMO_BADGE },
  { username: 'supervisor', displayName: 'Demo supervisor' },
  { username: 'engineer', displayName: 'Demo engineer' },
  { username: 'admin', displayName: 'Administrator' },
];

export async function ensureFirstUsers(options: {
  prisma: PrismaClient;
  logger: Logger;
  demoPassword: string | undefined;
  badgeLookup: (badge: string) => string;
}): Promise<void> {
  const { prisma, logger, demoPassword } = options;
  if (demoPassword !== undefined) {
    const passwordHash = await hashPassword(demoPassword);
    for (const demo of DEMO_USERS) {
      const created = await createAudited(prisma, {
        username: demo.username,
        displayName: demo.displayName,
        role: demo.username,
        passwordHash,
        badgeLookup: demo.badge ? options.badgeLookup(demo.badge) : null,
      });
      if (created) logger.info({ username: demo.username }, 'first start: created demo user');
    }
    return;
  }
  if ((await userRepository.count(prisma)) > 0) return;
  const password = randomBytes(12).toString('base64url');
  const created = await createAudited(prisma, {
    username: 'admin',
    displayName: 'Administrator',
    role: 'admin',
    passwordHash: await hashPassword(password),
  });
  // Shown once, to whoever starts the line; only its hash is kept.
  if (created) logger.warn(`first start: created user admin with password ${password}`);
}

/** Creates the user unless taken, with its audit event; null when the name was taken. */
async function createAudited(prisma: PrismaClient, input: CreateUserInput): Promise<User | null> {
  return prisma.$transaction(async (tx) => {
    const user = await userRepository.createIfMissing(tx, input);
    if (user) {
      await auditRepository.record(tx, {
        action: 'user.create',
        entityType: 'user',
        entityId: user.id,
        actorLabel: 'system',
        // Whether a password and badge were set, never what they are (nor their hashes).
        details: {
          after: {
            username: user.username,
            displayName: user.displayName,
            role: user.role,
            password: user.passwordHash !== null,
            badge: user.badgeLookup !== null,
          },
          reason: 'first start',
        },
      });
    }
    return user;
  });
}
