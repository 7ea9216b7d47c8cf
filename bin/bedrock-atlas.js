#!/usr/bin/env node
// Starts the CLI like a CLI: the build made at install (out/cli/, by `npm ci`'s `prepare`) when it is newer than every
// source it was built from, otherwise the TypeScript through tsx, so an edited tree never runs stale code.
// BEDROCK_ATLAS_DEV=1 always takes the TypeScript. Node's compile cache (Node 22.1 and later) keeps the compiled
// code between runs.
import module from 'node:module';
import { readFileSync, statSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

module.enableCompileCache?.();

const root = new URL('../', import.meta.url);
const built = new URL('out/cli/main.js', root);

/** True when out/cli was built after the last change to any of its sources (one stat per source, a few ms). */
function buildIsCurrent() {
  if (process.env.BEDROCK_ATLAS_DEV === '1') return false;
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(new URL('out/cli/inputs.json', root), 'utf8'));
  } catch {
    return false;
  }
  for (const input of manifest.inputs) {
    const changed = statSync(new URL(input, root), { throwIfNoEntry: false })?.mtimeMs;
    if (changed === undefined || changed > manifest.builtAt) return false;
  }
  return true;
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  // The version alone needs no code at all: what commander would print, without loading it.
  process.stdout.write(`${JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).version}\n`);
} else if (buildIsCurrent()) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('src-main/cli/main.ts', root).href);
}
