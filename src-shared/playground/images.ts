import { IMAGE_FORMATS, MAX_IMAGE_BYTES } from '../contract/playground';

/**
 * An image's real format from its first bytes, and Bedrock's limits checked before anything is sent, for the CLI
 * (`--image FILE`) and the pane (a dropped or chosen file) alike. The name's extension is never trusted.
 */

export type ImageFormat = (typeof IMAGE_FORMATS)[number];

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) => signature.every((value, index) => bytes[offset + index] === value);
const ascii = (text: string) => [...text].map((character) => character.charCodeAt(0));

export function imageFormatOf(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  return null;
}

export class ImageRefused extends Error {
  override readonly name = 'ImageRefused';
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/** The format to send, or an error that says what is wrong with the file and what Bedrock takes. */
export function checkImage(name: string, bytes: Uint8Array): ImageFormat {
  const format = imageFormatOf(bytes);
  if (!format) throw new ImageRefused(`${name} is not a PNG, JPEG, GIF or WebP image: Bedrock takes only ${IMAGE_FORMATS.join(', ')}.`);
  if (bytes.length > MAX_IMAGE_BYTES) throw new ImageRefused(`${name} is ${megabytes(bytes.length)}; Bedrock accepts at most 3.75 MB per image.`);
  return format;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(binary);
}
