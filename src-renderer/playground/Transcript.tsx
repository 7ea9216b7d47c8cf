import { memo, useLayoutEffect, useRef } from 'react';
import type { LatencyMode, ServiceTier } from '../../src-shared/contract';
import type { PaneSnapshot, Turn } from './pane-session';
import { FailureNote, ResponseFooter } from './ResponseFooter';

/** A finished turn never changes: memoised, so a streaming answer re-renders only itself. */
const FinishedTurn = memo(function FinishedTurn({ turn, asked }: { turn: Turn; asked: { latency?: LatencyMode; serviceTier?: ServiceTier } }) {
  const text = turn.content.map((block) => ('text' in block ? block.text : '')).join('');
  const images = turn.content.filter((block) => 'image' in block).length;
  if (turn.role === 'user') {
    return (
      <div className="pg-turn pg-user">
        <span className="pg-role">You</span>
        <div className="pg-text">{text}</div>
        {images > 0 ? <span className="pg-images">{images} image{images === 1 ? '' : 's'}</span> : null}
      </div>
    );
  }
  return (
    <div className="pg-turn pg-assistant">
      {text ? <div className="pg-text" data-testid="answer">{text}</div> : null}
      {turn.result ? <ResponseFooter result={turn.result} asked={asked} /> : null}
      {turn.error ? <FailureNote error={turn.error} /> : null}
    </div>
  );
});

/**
 * Text that only grows, in pieces of about 2 KB cut after a space, each its own block: a frame re-lays out only
 * the last piece instead of the whole answer (one inline run of 100 KB costs a long task per frame). While it
 * streams, a line may end early where a piece ends; the finished answer is one block again.
 */
const PIECE = 2048;
const Piece = memo(function Piece({ text, last }: { text: string; last: boolean }) {
  return <span className={last ? undefined : 'pg-piece'}>{text}</span>;
});
function StreamingText({ text }: { text: string }) {
  const pieces: string[] = [];
  let start = 0;
  while (text.length - start > PIECE) {
    const cut = text.indexOf(' ', start + PIECE);
    if (cut < 0) break;
    pieces.push(text.slice(start, cut + 1));
    start = cut + 1;
  }
  pieces.push(text.slice(start));
  return pieces.map((piece, index) => <Piece key={index} text={piece} last={index === pieces.length - 1} />);
}

export function Transcript({ snapshot, asked }: { snapshot: PaneSnapshot; asked: { latency?: LatencyMode; serviceTier?: ServiceTier } }) {
  const box = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  // Keep the newest text in view while the reader is at the bottom; scrolling up to read stops the following.
  useLayoutEffect(() => {
    if (following.current && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [snapshot]);
  return (
    <div
      ref={box}
      className="pg-transcript"
      aria-live="off"
      tabIndex={0}
      aria-label="Conversation"
      onScroll={(event) => {
        const element = event.currentTarget;
        following.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
      }}
    >
      {snapshot.turns.map((turn, index) => (
        <FinishedTurn key={index} turn={turn} asked={asked} />
      ))}
      {snapshot.status === 'streaming' ? (
        <div className="pg-turn pg-assistant pg-streaming">
          <div className="pg-text" data-testid="streaming-answer">
            <StreamingText text={snapshot.streamingText} />
            <span className="pg-caret" aria-hidden />
          </div>
        </div>
      ) : null}
    </div>
  );
}
