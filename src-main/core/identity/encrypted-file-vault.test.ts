import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { issueLongTermKey } from '../../emulator/api-keys';
import { EncryptedFileVault, KeychainUnavailableError, type StringCipher } from './encrypted-file-vault';

/** A stand-in for safeStorage: a reversible transform the file must not reveal the key through. */
function cipher(available = true, backend = 'gnome_libsecret'): StringCipher {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (text) => Buffer.from(`v10${[...text].reverse().join('')}`),
    decryptString: (data) => {
      const text = data.toString();
      if (!text.startsWith('v10')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return [...text.slice(3)].reverse().join('');
    },
  };
}

const path = () => join(mkdtempSync(join(tmpdir(), 'atlas-vault-')), 'bedrock-api-key.enc');

describe('the desktop vault for a Bedrock API key', () => {
  it('keeps only ciphertext, readable only by its owner, and gives the key back', async () => {
    const file = path();
    const key = issueLongTermKey();
    const vault = new EncryptedFileVault(file, cipher());
    await vault.set(key);
    expect(readFileSync(file, 'utf8')).not.toContain(key);
    expect(Buffer.from(readFileSync(file, 'utf8'), 'base64').toString()).not.toContain(key);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await new EncryptedFileVault(file, cipher()).get()).toBe(key);
    await vault.clear();
    expect(await vault.get()).toBeNull();
  });

  it('refuses to store when there is no keychain (or only Linux basic_text), storing nothing', async () => {
    for (const unsafe of [cipher(false), cipher(true, 'basic_text')]) {
      const file = path();
      await expect(new EncryptedFileVault(file, unsafe).set(issueLongTermKey())).rejects.toThrow(KeychainUnavailableError);
      expect(() => statSync(file)).toThrow();
    }
  });

  it('holds no key when the file cannot be decrypted', async () => {
    const file = path();
    writeFileSync(file, Buffer.from('garbage').toString('base64'));
    expect(await new EncryptedFileVault(file, cipher()).get()).toBeNull();
  });
});
