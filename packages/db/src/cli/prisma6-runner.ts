// Runs the Prisma 6.19 CLI offline (WebAssembly schema engine, see prisma6.config.ts). Prisma 7
// forbids `url` in schema.prisma while Prisma 6 requires it, so the runner hands Prisma 6 a
// temporary copy of each schema with `url = env("DATABASE_URL")` added to the datasource.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const repoRoot = join(packageDir, '..', '..');
export const SCHEMA_PATH = join(repoRoot, 'prisma', 'schema.prisma');
export const MIGRATIONS_DIR = join(repoRoot, 'prisma', 'migrations');
const PRISMA6_CLI = join(repoRoot, 'node_modules', 'prisma6', 'build', 'index.js');

export class Prisma6Workspace {
  private readonly dir = mkdtempSync(join(tmpdir(), 'flashstation-prisma6-'));
  private count = 0;

  /** Writes `schemaText` with a datasource URL Prisma 6 accepts; returns the file path. */
  schemaFile(schemaText: string): string {
    const withUrl = schemaText.replace(
      /(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*"postgresql")/,
      '$1\n  url      = env("DATABASE_URL")',
    );
    if (withUrl === schemaText) throw new Error('schema.prisma has no postgresql datasource block');
    const file = join(this.dir, `schema-${this.count++}.prisma`);
    writeFileSync(file, withUrl);
    return file;
  }

  currentSchemaFile(): string {
    return this.schemaFile(readFileSync(SCHEMA_PATH, 'utf8'));
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs Prisma 6.19 with our config; nothing is downloaded (engine paths name existing files). */
export function runPrisma6(
  args: string[],
  options: { databaseUrl: string; env: NodeJS.ProcessEnv; capture?: boolean },
): { status: number; stdout: string } {
  const placeholder = join(packageDir, 'package.json');
  const result = spawnSync(
    process.execPath,
    [PRISMA6_CLI, ...args, '--config', 'prisma6.config.ts'],
    {
      cwd: packageDir,
      stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
      encoding: 'utf8',
      env: {
        ...options.env,
        DATABASE_URL: options.databaseUrl,
        PRISMA_QUERY_ENGINE_LIBRARY: placeholder,
        PRISMA_SCHEMA_ENGINE_BINARY: placeholder,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CHECKPOINT_DISABLE: '1',
      },
    },
  );
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout ?? '' };
}
