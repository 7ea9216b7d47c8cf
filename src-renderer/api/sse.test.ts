import { describe, expect, it } from 'vitest';
import { readServerSentEvents } from './sse';

/** A body that arrives in exactly these byte chunks. */
function body(...chunks: (string | Uint8Array<ArrayBuffer>)[]): ReadableStream<Uint8Array<ArrayBuffer>> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function framesOf(stream: ReadableStream<Uint8Array<ArrayBuffer>>): Promise<[string, string][]> {
  const frames: [string, string][] = [];
  await readServerSentEvents(stream, (event, data) => frames.push([event, data]));
  return frames;
}

describe('the renderer reads the whole event-stream format', () => {
  it('LF-separated events, in order', async () => {
    expect(await framesOf(body('event: chunk\ndata: {"text":"a"}\n\nevent: result\ndata: {"text":"a"}\n\n'))).toEqual([
      ['chunk', '{"text":"a"}'],
      ['result', '{"text":"a"}'],
    ]);
  });

  it('CRLF and lone CR line endings', async () => {
    expect(await framesOf(body('event: chunk\r\ndata: 1\r\n\r\nevent: chunk\rdata: 2\r\r'))).toEqual([
      ['chunk', '1'],
      ['chunk', '2'],
    ]);
  });

  it('a CRLF split between two chunks ends one line, not two', async () => {
    expect(await framesOf(body('event: chunk\r', '\ndata: 1\r', '\n\r', '\n'))).toEqual([['chunk', '1']]);
  });

  it('several data lines join with newlines', async () => {
    expect(await framesOf(body('event: result\ndata: first\ndata: second\n\n'))).toEqual([['result', 'first\nsecond']]);
  });

  it('a UTF-8 character split across chunks arrives whole', async () => {
    const bytes = new TextEncoder().encode('event: chunk\ndata: {"text":"€ ✓"}\n\n');
    const euro = bytes.indexOf(0xe2);
    expect(await framesOf(body(bytes.slice(0, euro + 1), bytes.slice(euro + 1, euro + 2), bytes.slice(euro + 2)))).toEqual([['chunk', '{"text":"€ ✓"}']]);
  });

  it('comments (heartbeats) and unknown fields are skipped', async () => {
    expect(await framesOf(body(': heartbeat\n\nevent: chunk\nfoo: bar\ndata: 1\n\n: bye\n\n'))).toEqual([['chunk', '1']]);
  });

  it('an event the body ends without a blank line after is still delivered', async () => {
    expect(await framesOf(body('event: chunk\ndata: 1\n\nevent: result\ndata: 2'))).toEqual([
      ['chunk', '1'],
      ['result', '2'],
    ]);
  });

  it('an event split mid-field across many chunks, and an event without a name (a message)', async () => {
    expect(await framesOf(body('ev', 'ent: chu', 'nk\nda', 'ta: {"te', 'xt":"b"}\n', '\ndata: plain\n\n'))).toEqual([
      ['chunk', '{"text":"b"}'],
      ['message', 'plain'],
    ]);
  });
});
