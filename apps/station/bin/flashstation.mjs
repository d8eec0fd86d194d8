#!/usr/bin/env node
// The engineer's CLI. In production (NODE_ENV=production, the image) it runs the built bundle
// dist/flashstation.mjs (`npm run build`), so no TypeScript loader is installed there; elsewhere it
// runs the sources through tsx so engineers need no build step and never run a stale bundle.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/flashstation.mjs', import.meta.url);
if (process.env.NODE_ENV === 'production') {
  if (!existsSync(bundle)) {
    console.error(
      'flashstation: NODE_ENV=production but apps/station/dist/flashstation.mjs is missing: run `npm run build` first',
    );
    process.exit(1);
  }
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
