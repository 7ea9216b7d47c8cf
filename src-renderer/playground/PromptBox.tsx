import { useId, useRef, useState } from 'react';
import { checkImage, toBase64, type ImageFormat } from '../../src-shared/playground/images';

export interface AttachedImage {
  name: string;
  format: ImageFormat;
  bytesBase64: string;
}

export interface PromptBoxProps {
  prompt: string;
  system: string;
  images: AttachedImage[];
  busy: boolean;
  panes: number;
  onPrompt(text: string): void;
  onSystem(text: string): void;
  onImages(images: AttachedImage[]): void;
  onSend(): void;
  onCancelAll(): void;
  onCountTokens(): void;
}

/** Why Count tokens cannot count now, in words; null when it can. */
export function countTokensBlocked(busy: boolean, prompt: string): string | null {
  if (busy) return 'Count tokens waits until the answers have finished streaming.';
  if (prompt.trim() === '') return 'Write a prompt first: Count tokens counts its input tokens for each pane, before sending.';
  return null;
}

/** The one prompt sent to every pane: text, a system prompt, images; Ctrl+Enter sends, Escape cancels. */
export function PromptBox({ prompt, system, images, busy, panes, onPrompt, onSystem, onImages, onSend, onCancelAll, onCountTokens }: PromptBoxProps) {
  const fileInput = useRef<HTMLInputElement>(null);
  const id = useId();
  const countBlocked = countTokensBlocked(busy, prompt);
  const [imageProblem, setImageProblem] = useState<string | null>(null);
  const attach = async (files: FileList | null) => {
    setImageProblem(null);
    const added: AttachedImage[] = [];
    for (const file of Array.from(files ?? [])) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      try {
        added.push({ name: file.name, format: checkImage(file.name, bytes), bytesBase64: toBase64(bytes) });
      } catch (error) {
        setImageProblem((error as Error).message);
      }
    }
    onImages([...images, ...added]);
    if (fileInput.current) fileInput.current.value = '';
  };
  return (
    <form
      className="pg-prompt"
      onSubmit={(event) => {
        event.preventDefault();
        onSend();
      }}
    >
      <details className="pg-system">
        <summary>System prompt{system.trim() ? ' (set)' : ''}</summary>
        <textarea rows={2} value={system} onChange={(event) => onSystem(event.target.value)} aria-label="System prompt" placeholder="Instructions for every pane" />
      </details>
      <div className="pg-prompt-row">
        <textarea
          className="pg-prompt-text"
          rows={3}
          value={prompt}
          onChange={(event) => onPrompt(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              onSend();
            } else if (event.key === 'Escape' && busy) {
              event.preventDefault();
              onCancelAll();
            }
          }}
          placeholder={`Prompt for ${panes === 1 ? 'the pane' : `all ${panes} panes`} — Ctrl+Enter sends, Escape cancels`}
          aria-label="Prompt"
        />
        <div className="pg-prompt-actions">
          <button type="submit" className="primary" disabled={busy}>
            Send{panes > 1 ? ` to ${panes}` : ''}
          </button>
          <button type="button" onClick={onCancelAll} disabled={!busy}>
            Cancel all
          </button>
          {/* Not disabled outright: a disabled button can be neither focused nor explained, so it says why instead. */}
          <span className="pg-count-tokens">
            <button
              type="button"
              onClick={() => {
                if (!countBlocked) onCountTokens();
              }}
              aria-disabled={countBlocked ? true : undefined}
              aria-describedby={countBlocked ? `${id}-count-why` : undefined}
              title={countBlocked ?? "Input tokens through the runtime's CountTokens, where the model offers it"}
            >
              Count tokens
            </button>
            {countBlocked ? (
              <span id={`${id}-count-why`} className="pg-count-why" role="tooltip" data-testid="count-tokens-why">
                {countBlocked}
              </span>
            ) : null}
          </span>
          <button type="button" onClick={() => fileInput.current?.click()} title="PNG, JPEG, GIF or WebP, at most 3.75 MB each">
            Add image
          </button>
          <input ref={fileInput} type="file" accept="image/png,image/jpeg,image/gif,image/webp" multiple hidden onChange={(event) => void attach(event.target.files)} data-testid="image-input" />
        </div>
      </div>
      {images.length > 0 || imageProblem ? (
        <div className="pg-attachments">
          {images.map((image, index) => (
            <span key={`${image.name}-${index}`} className="pg-chip">
              {image.name} ({image.format})
              <button type="button" aria-label={`Remove ${image.name}`} onClick={() => onImages(images.filter((_, kept) => kept !== index))}>
                ×
              </button>
            </span>
          ))}
          {imageProblem ? (
            <span className="pg-error" role="alert">
              {imageProblem}
            </span>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
