// Builds the CLI once, at install (`npm ci` runs `prepare`), into out/cli/: esbuild bundles src-main/cli/main.ts with
// its dependencies into ES modules, one chunk per command's work (the `await import()` in each command), so
// `--help` and `--version` load commander and the option table only. bin/bedrock-atlas.js runs the build when it
// is newer than every source it was built from (out/cli/inputs.json lists them), and the TypeScript through tsx
// otherwise. Without esbuild (`npm ci --omit=dev`) nothing is built and the CLI runs through tsx.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(root, 'out', 'cli');
const staging = join(root, 'out', `cli.building-${process.pid}`);

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('bedrock-atlas: esbuild is not installed, so the CLI is not built; it runs through tsx.\n');
  process.exit(0);
}

/**
 * Source files find their data beside them (`new URL('./recordings/x.json', import.meta.url)`). In the bundle,
 * `import.meta.url` would be the chunk's own address in out/cli/, so each source file gets its own address back.
 */
const sourceAddress = {
  name: 'source-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${join('node_modules', '')}`)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta')) return { contents: text, loader: 'ts' };
      const fromChunk = relative(outDir, args.path).split('\\').join('/');
      const address = `new URL(${JSON.stringify(fromChunk)}, import.meta.url)`;
      if (text.includes('import.meta.dirname') || text.includes('import.meta.filename')) {
        throw new Error(`${args.path}: use new URL(…, import.meta.url), which the CLI build maps back to the source file`);
      }
      return { contents: text.replaceAll('import.meta.url', `${address}.href`), loader: 'ts' };
    });
  },
};

/**
 * zod's namespace re-exports every locale (`z.locales`, 60-odd files, most of the bundle's start-up parse). The app
 * speaks English only (zod registers `en` itself), so the CLI's bundle keeps that one.
 */
const englishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) => {
      if (!args.importer.includes(join('node_modules', 'zod', ''))) return undefined;
      return { path: resolve(dirname(args.importer), '../locales/index.js'), namespace: 'zod-locales' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

rmSync(staging, { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { main: 'src-main/cli/main.ts' },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // The ES module builds (the AWS SDK's dist-es): esbuild leaves out what is never imported.
  mainFields: ['module', 'main'],
  target: 'node20.19',
  chunkNames: 'chunk-[hash]',
  // DuckDB's native binding (required, not imported: no ES module lexing of CommonJS) and build tools, loaded
  // from node_modules when (if ever) a command needs them.
  external: ['@duckdb/node-bindings*', 'electron', 'vite', '@vitejs/plugin-react', 'electron-vite', 'tsx', 'fsevents'],
  // CommonJS dependencies bundled into ES modules still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __atlasCreateRequire } from 'node:module'; const require = __atlasCreateRequire(import.meta.url);" },
  plugins: [sourceAddress, englishOnly],
  metafile: true,
  legalComments: 'none',
  // Less to parse at every start; names kept, since errors are told apart by their names.
  minify: true,
  keepNames: true,
  logLevel: 'warning',
});

const inputs = Object.keys(result.metafile.inputs).filter((path) => !path.includes('node_modules'));
writeFileSync(join(staging, 'inputs.json'), `${JSON.stringify({ builtAt: Date.now(), inputs: [...inputs, 'package.json'] })}\n`);
mkdirSync(dirname(outDir), { recursive: true });
rmSync(outDir, { recursive: true, force: true });
renameSync(staging, outDir);
process.stderr.write(`bedrock-atlas: CLI built into ${relative(root, outDir)} (${inputs.length} sources).\n`);
