import { fileURLToPath } from 'node:url';

/** Files shipped with the project, resolved from this source tree (the CLI runs from source through tsx). */
export function projectFile(relativePath: string): string {
  return fileURLToPath(new URL(`../../${relativePath}`, import.meta.url));
}

export const BUNDLED_CATALOG = 'bundled/bedrock_catalog_bundled.json';
