import { inject } from 'vitest';
import { applyIsolatedEnv, freshHome } from './isolated-home';

/**
 * Vitest setupFiles: before each test file is loaded, HOME, the XDG directories and the AWS config files point into
 * a directory of that file's own, so defaults (settings, catalog cache, history database) and every process a test
 * starts (the CLI, the host) land there and never in the user's HOME.
 */
applyIsolatedEnv(freshHome(inject('homesRoot'), `worker-${process.pid}`).env);
