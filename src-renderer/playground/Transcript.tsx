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

/** A completed piece of a streaming answer never changes: each is its own block, so a frame lays out only the tail. */
const Piece = memo(function Piece({ text }: { text: string }) {
  return <span className="pg-piece">{text}</span>;
});

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
            {snapshot.streamingPieces.map((piece, index) => (
              <Piece key={index} text={piece} />
            ))}
            {snapshot.streamingTail}
            <span className="pg-caret" aria-hidden />
          </div>
        </div>
      ) : null}
    </div>
  );
}
