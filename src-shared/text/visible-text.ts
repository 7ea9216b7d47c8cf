/**
 * Catalog strings (model names, ids, provider names, profile descriptions) come from AWS, a cache file or a proxy.
 * Shown as they are, a control character or a bidirectional override (U+202E turns `gpt-evil` into what looks
 * like another name) can disguise one name as another. `visibleText` shows each of them as a visible stand-in:
 * C0 controls as their Unicode control pictures (ESC → `␛`), DEL as `␡`, and C1 controls, bidi controls, zero-width
 * and other invisible format characters as `\u202E`-style escapes. Ordinary text is returned unchanged.
 */

// eslint-disable-next-line no-control-regex, no-misleading-character-class -- each of these is matched alone, on purpose
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb]/g;

function standIn(character: string): string {
  const code = character.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function visibleText(text: string): string;
export function visibleText(text: string | null | undefined): string | null | undefined;
export function visibleText(text: string | null | undefined): string | null | undefined {
  if (typeof text !== 'string') return text;
  return text.replace(INVISIBLE, standIn);
}

/** Whether a string holds anything `visibleText` would change (a name worth flagging). */
export function hasInvisibleCharacters(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  const found = INVISIBLE.test(text);
  INVISIBLE.lastIndex = 0;
  return found;
}
