import { rmSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { homeChanges, homeGuardMessage, snapshotHome } from './isolated-home';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The HOME the run was started with, which no test may touch. */
    realHome: string;
    /** Where each test file's own HOME is made; removed after the run. */
    homesRoot: string;
  }
}

/**
 * Vitest globalSetup: records the real HOME's app directories before the run, and after it fails the run (exit
 * code 1) if any test created, changed or removed anything there. Each test file's HOME is made by
 * `vitest-isolated-home.ts` under one root, removed at the end.
 */
export default function setup(project: TestProject): () => void {
  const realHome = homedir();
  const homesRoot = mkdtempSync(join(tmpdir(), 'atlas-test-homes-'));
  project.provide('realHome', realHome);
  project.provide('homesRoot', homesRoot);
  const before = snapshotHome(realHome);
  return () => {
    rmSync(homesRoot, { recursive: true, force: true, maxRetries: 3 });
    const changes = homeChanges(before, snapshotHome(realHome));
    if (changes.length > 0) {
      // Vitest only logs a teardown's error; the exit code is what CI reads.
      process.exitCode = 1;
      throw new Error(homeGuardMessage(realHome, changes));
    }
  };
}
