// Fails when the workspace package graph has a cycle or a dependency that breaks the allowed
// direction (design §2): dashboard → contracts; server → db, contracts, mtk (it checks uploaded
// firmware as a station does; its tests also drive the emulated jig); station → mtk, contracts;
// both apps → runtime (process lifecycle) → logger. @station/testkit is for tests only: any
// workspace may list it in devDependencies, and no production source may import it.
// Also runs madge over every package's sources to catch file-level import cycles.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execFileSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const allowed = {
  '@station/contracts': [],
  '@station/logger': [],
  '@station/mtk': [],
  '@station/emulator': [],
  '@station/db': [],
  '@station/trust': ['@station/contracts'],
  '@station/runtime': ['@station/logger'],
  '@station/server': [
    '@station/db',
    '@station/contracts',
    '@station/logger',
    '@station/runtime',
    '@station/mtk',
    '@station/trust',
  ],
  '@station/station': [
    '@station/mtk',
    '@station/contracts',
    '@station/logger',
    '@station/emulator',
    '@station/runtime',
    '@station/trust',
  ],
  '@station/dashboard': ['@station/contracts'],
  '@station/testkit': [
    '@station/contracts',
    '@station/db',
    '@station/logger',
    '@station/runtime',
    '@station/trust',
  ],
};
const TEST_ONLY = '@station/testkit';
// Dependencies a package's tests may use but its shipped code may not (devDependencies only):
// the server's line tests seat and move emulated modules through the jig's control socket.
const testOnlyFor = { '@station/server': ['@station/emulator'] };

const packages = new Map();
for (const group of ['apps', 'packages']) {
  for (const dir of readdirSync(join(root, group))) {
    const file = join(root, group, dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    const internal = (list) => Object.keys(list ?? {}).filter((d) => d.startsWith('@station/'));
    const runtimeDeps = internal(pkg.dependencies);
    const deps = [...new Set([...runtimeDeps, ...internal(pkg.devDependencies)])];
    packages.set(pkg.name, { dir: join(group, dir), deps, runtimeDeps });
  }
}

const problems = [];
for (const [name, { deps, runtimeDeps }] of packages) {
  if (!(name in allowed)) problems.push(`${name} is not in the allowed-dependency table`);
  for (const dep of deps) {
    if (dep === TEST_ONLY && name !== TEST_ONLY) {
      if (runtimeDeps.includes(dep)) {
        problems.push(`${name} must list ${TEST_ONLY} in devDependencies: it is for tests only`);
      }
      continue; // any workspace's tests may use it; a cycle through it is caught below
    }
    if (testOnlyFor[name]?.includes(dep)) {
      if (runtimeDeps.includes(dep))
        problems.push(`${name} must list ${dep} in devDependencies: only its tests use it`);
      continue;
    }
    if (!allowed[name]?.includes(dep)) problems.push(`${name} must not depend on ${dep}`);
  }
}

// Only tests import the test kit: test/ folders and *.test.* files (and src/testing entries,
// which exist for other packages' tests). Anything else under src/ ships.
const importsTestKit = new RegExp(
  `(from\\s*|import\\s*\\(\\s*|require\\(\\s*)['"]${TEST_ONLY}['"/]`,
);
const sourceFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
for (const [name, { dir }] of packages) {
  const src = join(root, dir, 'src');
  if (name === TEST_ONLY || !existsSync(src)) continue;
  for (const file of sourceFiles(src)) {
    const path = relative(root, file);
    if (/\.test\.[cm]?[jt]sx?$/.test(path) || /\/src\/(testing|generated)\//.test(path)) continue;
    const text = readFileSync(file, 'utf8');
    if (importsTestKit.test(text)) {
      problems.push(`${path} imports ${TEST_ONLY}, which is for tests only`);
    }
    for (const dep of testOnlyFor[name] ?? []) {
      if (new RegExp(`(from\\s*|import\\s*\\(\\s*)['"]${dep}['"/]`).test(text))
        problems.push(`${path} imports ${dep}, which only ${name}'s tests may use`);
    }
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
