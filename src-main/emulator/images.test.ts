import { describe, expect, it } from 'vitest';
import { gifHeader, jpegHeader, pngHeader, webpHeader } from './image-samples';
import { imageTokens, inspectImage } from './images';

describe('image inspection', () => {
  it('reads the format and size of png, jpeg, gif and webp', () => {
    expect(inspectImage(pngHeader(640, 480))).toEqual({ format: 'png', width: 640, height: 480 });
    expect(inspectImage(jpegHeader(1024, 768))).toEqual({ format: 'jpeg', width: 1024, height: 768 });
    expect(inspectImage(gifHeader(32, 16))).toEqual({ format: 'gif', width: 32, height: 16 });
    expect(inspectImage(webpHeader(9000, 20))).toEqual({ format: 'webp', width: 9000, height: 20 });
  });

  it('returns null for bytes that are none of the four formats', () => {
    expect(inspectImage(Buffer.from('BM6\u0000\u0000\u0000 a bitmap is not accepted'))).toBeNull();
    expect(inspectImage(Buffer.alloc(0))).toBeNull();
  });

  it('counts about one token per 750 pixels, capped at 1600', () => {
    expect(imageTokens({ format: 'png', width: 75, height: 10 })).toBe(1);
    expect(imageTokens({ format: 'png', width: 750, height: 750 })).toBe(750);
    expect(imageTokens({ format: 'png', width: 8000, height: 8000 })).toBe(1600);
  });
});
