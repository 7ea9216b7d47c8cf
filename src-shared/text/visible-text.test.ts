import { describe, expect, it } from 'vitest';
import { hasInvisibleCharacters, visibleText } from './visible-text';

describe('visible text for catalog strings', () => {
  it('shows control characters as their pictures', () => {
    expect(visibleText('Claude\u001b[2J')).toBe('Claude␛[2J');
    expect(visibleText('a\u0000b\u007fc\nd')).toBe('a␀b␡c␊d');
  });

  it('shows bidi overrides, zero-width and C1 characters as escapes, so no name can disguise itself', () => {
    expect(visibleText('Claude \u202Etxt.exe')).toBe('Claude \\u202Etxt.exe');
    expect(visibleText('nova\u200Bpro\u2066x\u2069\u0085')).toBe('nova\\u200Bpro\\u2066x\\u2069\\u0085');
    expect(hasInvisibleCharacters('Claude 3 Haiku')).toBe(false);
    expect(hasInvisibleCharacters('Claude\u202E')).toBe(true);
  });

  it('leaves ordinary names, accents and other scripts unchanged', () => {
    for (const name of ['Claude 3.5 Sonnet v2', 'Mistral Large (24.07)', 'Café — モデル', 'نموذج']) expect(visibleText(name)).toBe(name);
    expect(visibleText(undefined)).toBeUndefined();
  });
});
