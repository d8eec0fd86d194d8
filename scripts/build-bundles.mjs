// `npm run build -w @station/server|station`: bundles an app's entry points into plain ES modules
// (apps/<app>/dist/*.mjs) that production runs with `node`, no tsx. The workspace packages
// (@station/*, TypeScript sources) are bundled in; every npm package stays an import resolved from
// node_modules at run time (serialport's native binding, Prisma's runtime, fastify's plugins).
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Output name → source entry, per app. The CLIs are the ones docker-compose.yml runs. */
const ENTRIES = {
  server: {
    server: 'apps/server/src/server.ts',
    migrate: 'packages/db/src/cli/migrate.cli.ts',
    'station-credential': 'apps/server/src/cli/station-credential.cli.ts',
  },
  // flashstation: the engineer's CLI (flash, emulate, inspect), run by bin/flashstation.mjs in
  // production so the image needs no tsx.
  station: { main: 'apps/station/src/main.ts', flashstation: 'apps/station/src/cli/main.ts' },
};

/** npm packages stay external; only the workspace's own TypeScript is bundled. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@station/') ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * Sources find files beside them through import.meta.url (prisma/migrations, for one). In a bundle
 * that would be the bundle's own URL, so each source's import.meta.url becomes its original
 * location, computed from the bundle's at run time: the tree may move as a whole (the image).
 */
const sourceLocations = (outdir) => ({
  name: 'source-locations',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromBundle = relative(outdir, args.path).split('\\').join('/');
      const url = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
});

export async function buildApp(app) {
  const entries = ENTRIES[app];
  if (!entries) throw new Error(`unknown app "${app}": one of ${Object.keys(ENTRIES).join(', ')}`);
  const outdir = join(root, 'apps', app, 'dist');
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(
      Object.entries(entries).map(([name, source]) => [name, join(root, source)]),
    ),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: false,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [externalPackages, sourceLocations(outdir)],
  });
  if (result.errors.length > 0) throw new Error(`${app}: build failed`);
  return Object.keys(entries).map((name) => relative(root, join(outdir, `${name}.mjs`)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const apps = process.argv.slice(2);
  if (apps.length === 0) {
    console.error('usage: node scripts/build-bundles.mjs <server|station>...');
    process.exit(2);
  }
  for (const app of apps) {
    const files = await buildApp(app);
    console.log(`[build] ${app}: ${files.join(', ')}`);
  }
}
