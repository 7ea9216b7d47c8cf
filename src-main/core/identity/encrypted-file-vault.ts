import { readFile, rm } from 'node:fs/promises';
import type { ApiKeyVault } from '../aws/bedrock-api-key';
import { writeFileAtomic } from '../storage/atomic-write';

/**
 * What the vault needs of an encryption service: Electron's `safeStorage` (the OS keychain: Keychain on macOS, DPAPI
 * on Windows, the Secret Service or KWallet on Linux) has exactly this shape, so the shell passes it as it is and
 * the core stays free of electron.
 */
export interface StringCipher {
  isEncryptionAvailable(): boolean;
  encryptString(text: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text` means no keyring was found and the "encryption" is a fixed, public key. */
  getSelectedStorageBackend?(): string;
}

export class KeychainUnavailableError extends Error {
  override readonly name = 'KeychainUnavailableError';
  readonly code = 'NO_KEY_STORE';
  constructor() {
    super('The OS keychain is not available, so the API key cannot be kept safely: set AWS_BEARER_TOKEN_BEDROCK before starting the app instead.');
  }
}

/**
 * The desktop app's Bedrock API key: encrypted by the OS keychain and written, as ciphertext only, to a file of its
 * own (mode 0600) beside the settings, never into settings.json. A file that cannot be decrypted any more (another
 * machine, a reset keychain) holds no key.
 */
export class EncryptedFileVault implements ApiKeyVault {
  constructor(
    private readonly path: string,
    private readonly cipher: StringCipher,
  ) {}

  private usable(): boolean {
    return this.cipher.isEncryptionAvailable() && this.cipher.getSelectedStorageBackend?.() !== 'basic_text';
  }

  async get(): Promise<string | null> {
    let encrypted: Buffer;
    try {
      encrypted = Buffer.from((await readFile(this.path, 'utf8')).trim(), 'base64');
    } catch {
      return null;
    }
    if (!this.usable()) return null;
    try {
      return this.cipher.decryptString(encrypted);
    } catch {
      return null;
    }
  }

  async set(key: string): Promise<void> {
    if (!this.usable()) throw new KeychainUnavailableError();
    await writeFileAtomic(this.path, this.cipher.encryptString(key).toString('base64'), 0o600);
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
