// Fails when the workspace package graph has a cycle or a dependency that breaks the allowed
// direction (design §2): dashboard → contracts; server → db, contracts; station → mtk, contracts;
// both apps → runtime (process lifecycle) → logger.
// Also runs madge over every package's sources to catch file-level import cycles.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const allowed = {
  '@station/contracts': [],
  '@station/logger': [],
  '@station/mtk': [],
  '@station/emulator': [],
  '@station/db': [],
  '@station/runtime': ['@station/logger'],
  '@station/server': ['@station/db', '@station/contracts', '@station/logger', '@station/runtime'],
  '@station/station': [
    '@station/mtk',
    '@station/contracts',
    '@station/logger',
    '@station/emulator',
    '@station/runtime',
  ],
  '@station/dashboard': ['@station/contracts'],
};

const packages = new Map();
for (const group of ['apps', 'packages']) {
  for (const dir of readdirSync(join(root, group))) {
    const file = join(root, group, dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) =>
      d.startsWith('@station/'),
    );
    packages.set(pkg.name, { dir: join(group, dir), deps });
  }
}

const problems = [];
for (const [name, { deps }] of packages) {
  if (!(name in allowed)) problems.push(`${name} is not in the allowed-dependency table`);
  for (const dep of deps) {
    if (!allowed[name]?.includes(dep)) problems.push(`${name} must not depend on ${dep}`);
  }
}

// Depth-first search for a cycle in the package graph.
const state = new Map();
const visit = (name, path) => {
  if (state.get(name) === 'done') return;
  if (state.get(name) === 'open') {
    problems.push(`package cycle: ${[...path, name].join(' → ')}`);
    return;
  }
  state.set(name, 'open');
  for (const dep of packages.get(name)?.deps ?? []) visit(dep, [...path, name]);
  state.set(name, 'done');
};
for (const name of packages.keys()) visit(name, []);

const dirs = [...packages.values()]
  .map((p) => join(p.dir, 'src'))
  .filter((d) => existsSync(join(root, d)));
try {
  execFileSync(
    join(root, 'node_modules/.bin/madge'),
    // The generated Prisma client has import cycles of its own; it is not our code.
    [
      '--circular',
      '--extensions',
      'ts,tsx',
      '--ts-config',
      'tsconfig.base.json',
      '--no-spinner',
      '--exclude',
      '/src/generated/',
      ...dirs,
    ],
    { cwd: root, stdio: 'pipe' },
  );
} catch (error) {
  problems.push(`file-level import cycle:\n${error.stdout?.toString() ?? error.message}`);
}

if (problems.length > 0) {
  console.error(`Dependency check failed:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`Dependency graph OK: ${packages.size} workspace packages, no cycles.`);
