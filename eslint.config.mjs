// One lint setup for the whole monorepo. Type-aware rules are left to `tsc`; this catches
// mistakes tsc does not, and enforces the project's boundaries.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.next/**',
      '**/.turbo/**',
      '**/.run/**',
      '**/coverage/**',
      'apps/*/dist/**',
      'packages/db/src/generated/**',
      'apps/dashboard/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain JS here is Node tooling (scripts, bins, configs).
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Only an app's env.ts reads the environment (style guide rule 8); libraries take options.
    files: ['apps/**/*.ts', 'apps/**/*.tsx', 'packages/**/*.ts'],
    ignores: ['**/env.ts', '**/*.test.ts', '**/test/**', '**/*.config.ts', '**/*.config.mjs'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration in env.ts only.' },
      ],
    },
  },
  {
    // packages/mtk is the pure protocol: no I/O libraries, no other workspace packages.
    files: ['packages/mtk/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'serialport',
                '@serialport/*',
                'bullmq',
                'ioredis',
                '@prisma/*',
                'pino',
                'node:fs',
                'fs',
                'node:net',
                'net',
                'node:child_process',
              ],
              message: 'packages/mtk is pure: I/O goes through Transport.',
            },
            {
              group: ['@station/*'],
              message: 'packages/mtk depends on no other workspace package.',
            },
          ],
        },
      ],
    },
  },
  {
    // The emulator implements the device side on its own: it must not reuse host framing.
    files: ['packages/emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@station/mtk', '@station/mtk/*'],
              message: 'The emulator must not share host protocol code (design §2).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/dashboard/**/*.ts', 'apps/dashboard/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@station/db', '@prisma/*', 'bullmq', 'ioredis'],
              message: 'The dashboard talks only to apps/server.',
            },
          ],
        },
      ],
    },
  },
);
