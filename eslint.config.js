import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** The feature folders of the core; each may reach another only through its `feature.ts` (its declared exports). */
const CORE_FEATURES = ['catalog', 'latency', 'playground'];
/** What no production file of the core may import: the shells around it, and the emulator and test helpers. */
const OUTSIDE_THE_CORE = ['**/emulator/**', '**/testing/**', '**/cli/**', '**/host/**', '**/shell/**', '**/launch/**'];

/**
 * Import boundaries of src-main/core: the core runs under plain Node (tests, CLI, browser host), so no Electron;
 * it never imports the emulator or test helpers; and a feature folder does not import another feature's internals.
 * The composition root (core/app) wires features together and may name their services.
 */
function coreBoundaries() {
  const electron = { paths: ['electron', 'electron-store'] };
  const outside = { group: OUTSIDE_THE_CORE, message: 'The core must not depend on the shells, the emulator or test helpers.' };
  const others = (feature) =>
    CORE_FEATURES.filter((other) => other !== feature).map((other) => ({
      group: [`../${other}/*`, `!../${other}/feature`],
      message: `Reach the ${other} feature through dependsOn and its feature.ts exports, not its internals.`,
    }));
  const base = { ignores: ['src-main/core/**/*.test.ts'] };
  return [
    { ...base, files: ['src-main/core/**/*.ts'], rules: { 'no-restricted-imports': ['error', { ...electron, patterns: [outside] }] } },
    ...CORE_FEATURES.map((feature) => ({
      ...base,
      files: [`src-main/core/${feature}/**/*.ts`],
      rules: { 'no-restricted-imports': ['error', { ...electron, patterns: [outside, ...others(feature)] }] },
    })),
    {
      ...base,
      files: ['src-main/core/aws/**/*.ts', 'src-main/core/api/**/*.ts', 'src-main/core/storage/**/*.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          { ...electron, patterns: [outside, { group: CORE_FEATURES.map((feature) => `../${feature}/*`), message: 'Shared core pieces must not depend on a feature.' }] },
        ],
      },
    },
  ];
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The renderer talks to the main process only through the contract's API.
      'no-restricted-imports': ['error', { patterns: ['electron', 'node:*', '../src-main/*', '**/src-main/**'] }],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      // The contract is shared by the renderer and the main process: nothing of Electron in it.
      'no-restricted-imports': ['error', { paths: ['electron', 'electron-store'] }],
    },
  },
  ...coreBoundaries(),
  {
    // Playwright fixtures must destructure their (possibly empty) dependencies.
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
