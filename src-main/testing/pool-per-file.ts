import { afterAll, beforeAll } from 'vitest';
import { AwsClientPool } from '../core/aws/client-pool';
import type { RunningEmulator } from '../emulator/server';

/**
 * The app's client pool against a test file's emulator (`emulatorPerFile`), made once its emulator runs and
 * destroyed after the file: the SDK clients are the real ones, signed with the given test key, never retried, so a
 * test sees each answer as the emulator gave it.
 */
export function poolPerFile(emulator: Pick<RunningEmulator, 'url'>, accessKeyId: string): () => AwsClientPool {
  let pool: AwsClientPool | null = null;
  beforeAll(() => {
    pool = new AwsClientPool({ endpointUrl: emulator.url, credentials: { accessKeyId, secretAccessKey: 'secret' }, maxAttempts: 1 });
  });
  afterAll(() => pool?.destroy());
  return () => {
    if (!pool) throw new Error('The pool is made in beforeAll: use it inside a test or a hook.');
    return pool;
  };
}
