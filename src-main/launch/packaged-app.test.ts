import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Configuration } from 'electron-builder';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../build/electron-builder.yml', import.meta.url));

// electron-builder's own loader and schema check, resolved through electron-builder so the versions match.
const fromElectronBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const { getConfig, validateConfiguration } = fromElectronBuilder('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string, fromOptions: null, packageMetadata: { value: Promise<object> }): Promise<Configuration>;
  validateConfiguration(config: Configuration, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = fromElectronBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

async function packagingConfig(): Promise<Configuration> {
  return getConfig(ROOT, CONFIG, null, { value: Promise.resolve({}) });
}

describe('the packaged desktop app (build/electron-builder.yml)', () => {
  it('is a configuration electron-builder accepts', async () => {
    await expect(validateConfiguration(await packagingConfig(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('flips the Electron fuses that keep the binary from being used as something else', async () => {
    expect((await packagingConfig()).electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the app into an asar archive, which onlyLoadAppFromAsar requires', async () => {
    expect((await packagingConfig()).asar ?? true).not.toBe(false);
  });

  it('would reject a misspelt fuse, so a typo cannot silently leave one at its default', async () => {
    const config = await packagingConfig();
    await expect(validateConfiguration({ ...config, electronFuses: { runAsNod: false } as never }, new DebugLogger(false))).rejects.toThrow(
      /electronFuses/,
    );
  });
});
