/**
 * Image headers for tests: the first bytes of each format with a chosen size, enough for the emulator's checks,
 * padded to any byte length (Bedrock's size limit is on bytes, not pixels).
 */

function padded(head: Buffer, totalBytes: number): Buffer {
  return totalBytes > head.length ? Buffer.concat([head, Buffer.alloc(totalBytes - head.length)]) : head;
}

export function pngHeader(width: number, height: number, totalBytes = 64): Buffer {
  const head = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(head, 0);
  head.writeUInt32BE(13, 8);
  head.write('IHDR', 12, 'latin1');
  head.writeUInt32BE(width, 16);
  head.writeUInt32BE(height, 20);
  return padded(head, totalBytes);
}

export function jpegHeader(width: number, height: number, totalBytes = 64): Buffer {
  // SOI, an APP0 segment to skip, then SOF0 with precision, height, width.
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x06, 0x4a, 0x46, 0x49, 0x46]);
  const sof = Buffer.alloc(10);
  sof.writeUInt16BE(0xffc0, 0);
  sof.writeUInt16BE(8, 2);
  sof[4] = 8;
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  return padded(Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof]), totalBytes);
}

export function gifHeader(width: number, height: number, totalBytes = 64): Buffer {
  const head = Buffer.alloc(13);
  head.write('GIF89a', 0, 'latin1');
  head.writeUInt16LE(width, 6);
  head.writeUInt16LE(height, 8);
  return padded(head, totalBytes);
}

/** Extended WebP (VP8X): sizes minus one, 24-bit little-endian. */
export function webpHeader(width: number, height: number, totalBytes = 64): Buffer {
  const head = Buffer.alloc(30);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(22, 4);
  head.write('WEBP', 8, 'latin1');
  head.write('VP8X', 12, 'latin1');
  head.writeUInt32LE(10, 16);
  head.writeUIntLE(width - 1, 24, 3);
  head.writeUIntLE(height - 1, 27, 3);
  return padded(head, totalBytes);
}
