/**
 * The request limits, once, for every layer: the contract's schemas, the renderer (which refuses before sending,
 * naming the limit), the browser host and the IPC gate (which refuse a larger body with a readable 413 or
 * `RequestTooLarge`). The body limit is derived from the largest request the contract itself accepts, so no
 * valid request can be refused by a transport: Bedrock's 20 images of 3.75 MB, as base64, plus the most prompt
 * text, every character escaped as JSON at its worst (`\u0000`, 6 bytes), plus room for the structure.
 */

/** Bedrock's Converse limits for images: 3.75 MB each, at most 20 per request. */
export const MAX_IMAGE_BYTES = 3.75 * 1024 * 1024;
export const MAX_IMAGES_PER_REQUEST = 20;

/**
 * All the text of one request (system prompt and every message), in characters. A 1M-token context holds about
 * 4 million characters of English; past this Bedrock's endpoint drops the connection ("write EPIPE") rather than
 * answer, so the request is refused before it is sent.
 */
export const MAX_PROMPT_TEXT_CHARS = 2_000_000;
/** Content blocks in one message (text and images). */
export const MAX_BLOCKS_PER_MESSAGE = 100;
/**
 * Stop sequences: Converse documents at least 1 character each and no maximum; the models behind it stop on
 * short strings, and the playground's stop list is for words and markers. At most 4, of up to 500 characters.
 */
export const MAX_STOP_SEQUENCES = 4;
export const MAX_STOP_SEQUENCE_CHARS = 500;

const base64Length = (bytes: number) => Math.ceil(bytes / 3) * 4;
/** Structure: keys, roles, the other fields, and the blocks' wrapping; generous on purpose. */
const STRUCTURE_ALLOWANCE_BYTES = 4 * 1024 * 1024;

/** The one limit on a request body, for every method and stream, over HTTP and IPC. */
export const MAX_REQUEST_BODY_BYTES =
  MAX_IMAGES_PER_REQUEST * base64Length(MAX_IMAGE_BYTES) + MAX_PROMPT_TEXT_CHARS * 6 + STRUCTURE_ALLOWANCE_BYTES;

export const megabytes = (bytes: number) => `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;

/** The message a refused body carries, the same from every layer. */
export function requestTooLargeMessage(bytes: number | null): string {
  return `The request is ${bytes === null ? 'larger than' : `${megabytes(bytes)}, over`} the ${megabytes(MAX_REQUEST_BODY_BYTES)} limit on a request (${MAX_IMAGES_PER_REQUEST} images of ${megabytes(MAX_IMAGE_BYTES)} and ${MAX_PROMPT_TEXT_CHARS.toLocaleString('en-US')} characters of text)`;
}

/** UTF-8 length of a string without encoding it (what the body will weigh on the wire). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

/** The body a caller is about to send, or why it will be refused: one check for the renderer and the gates. */
export function checkRequestBody(body: string): { ok: true; bytes: number } | { ok: false; bytes: number; message: string } {
  const bytes = utf8Length(body);
  return bytes <= MAX_REQUEST_BODY_BYTES ? { ok: true, bytes } : { ok: false, bytes, message: requestTooLargeMessage(bytes) };
}

export class RequestTooLarge extends Error {
  override readonly name = 'RequestTooLarge';
  readonly code = 'REQUEST_TOO_LARGE';
}
