// Prints the running Node and fails unless it is in package.json's engines range (">=A.B <C"), the
// one the README, .nvmrc and docker/Dockerfile name. Run by .ci/run; no dependencies needed.
import { readFileSync } from 'node:fs';

const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const range = /^>=(\d+)\.(\d+) <(\d+)$/.exec(engines.node);
if (!range) {
  console.error(`package.json engines.node "${engines.node}" is not of the form ">=A.B <C"`);
  process.exit(1);
}
const [major, minor] = process.versions.node.split('.').map(Number);
const [min, minMinor, below] = range.slice(1).map(Number);
const ok = major < below && (major > min || (major === min && minor >= minMinor));
console.log(`[flash-station] Node ${process.versions.node} (supported: ${engines.node})`);
if (!ok) {
  console.error(
    `Node ${process.versions.node} is not supported: install Node ${engines.node} (.nvmrc)`,
  );
  process.exit(1);
}
