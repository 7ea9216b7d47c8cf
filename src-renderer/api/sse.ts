import { createParser } from 'eventsource-parser';

/**
 * Reads a Server-Sent Events body, calling `onFrame` with each event's name and data text, in order. The whole
 * event-stream format, through eventsource-parser: LF, CRLF and CR line endings, `data:` over several lines
 * (joined with newlines), comments and unknown fields ignored, and a UTF-8 character split across network chunks
 * (decoded as a stream). An event without a name is a `message`, as in EventSource. A last event the body ends
 * without a blank line after is still delivered: our host always ends a stream with its final event, and a
 * proxy that drops the last newline must not lose it.
 */
export async function readServerSentEvents(body: ReadableStream<BufferSource>, onFrame: (event: string, data: string) => void): Promise<void> {
  const parser = createParser({ onEvent: (message) => onFrame(message.event ?? 'message', message.data) });
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.feed(value);
  }
  // Ends an unterminated last line and its event; a stream that ended cleanly has nothing pending.
  parser.feed('\n\n');
}
