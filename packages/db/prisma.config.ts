// Prisma 7 CLI configuration (used for `prisma generate`, and by the stock CLI at sites that can
// download the schema engine). Offline migrations go through prisma6.config.ts or our runner.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: '../../prisma/schema.prisma',
  migrations: { path: '../../prisma/migrations' },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/flashstation',
  },
});
