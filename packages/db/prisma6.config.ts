// Prisma 6.19 CLI configuration for OFFLINE schema work (`db:diff`, `migrate status/deploy`).
// Prisma 7's `migrate` needs a native schema engine that cannot be downloaded here; 6.19 with
// `engine: 'js'` + a driver adapter runs its WebAssembly schema engine instead (design §6).
// The adapter gets host/port/user/database fields, not a connection string, so that a shadow
// database does not inherit the main database's name.
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma6/config';

const url = new URL(
  process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/flashstation',
);

export default defineConfig({
  schema: '../../prisma/schema.prisma',
  migrations: { path: '../../prisma/migrations' },
  engine: 'js',
  experimental: { adapter: true },
  // The 6.19 config types predate adapter-pg 7; the runtime interface is the same.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  adapter: async () => new PrismaPg(connectionFields(url)) as any,
});

function connectionFields(u: URL) {
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.slice(1) || 'flashstation'),
  };
}
