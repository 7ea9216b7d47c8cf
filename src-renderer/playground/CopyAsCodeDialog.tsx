import { useEffect, useRef, useState } from 'react';
import { callAsCode, CODE_LANGUAGE_LABEL, CODE_LANGUAGES, type CallToCopy, type CodeLanguage } from '../../src-shared/playground/copy-as-code';
import './panels.css';

/** The exact call of one pane, in three languages, with a Copy button. Escape or Close returns focus to the page. */
export function CopyAsCodeDialog({ call, onClose }: { call: CallToCopy; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [language, setLanguage] = useState<CodeLanguage>('aws-cli');
  const [copied, setCopied] = useState<string | null>(null);
  const code = callAsCode(language, call);
  useEffect(() => {
    const element = dialog.current;
    // The dialog leaves the page when closed: focus goes back to the button that opened it.
    const opener = document.activeElement as HTMLElement | null;
    if (element && !element.open) element.showModal();
    // Unmounting removes the dialog from the page; closing it here would fire onClose, which a remount (React's
    // StrictMode) would take as the user closing it.
    return () => opener?.focus();
  }, []);
  const copy = () =>
    navigator.clipboard.writeText(code).then(
      () => setCopied(`Copied the ${CODE_LANGUAGE_LABEL[language]} call.`),
      () => setCopied('The clipboard is not available here: select the text and copy it.'),
    );
  return (
    <dialog ref={dialog} className="pg-dialog" aria-labelledby="pg-code-title" onClose={onClose} onCancel={onClose}>
      <h2 id="pg-code-title">Copy as code</h2>
      <div role="tablist" aria-label="Language" className="pg-tabs">
        {CODE_LANGUAGES.map((candidate) => (
          <button key={candidate} type="button" role="tab" aria-selected={candidate === language} className={candidate === language ? 'active' : undefined} onClick={() => setLanguage(candidate)}>
            {CODE_LANGUAGE_LABEL[candidate]}
          </button>
        ))}
      </div>
      <pre className="pg-code" tabIndex={0} data-testid="code">
        {code}
      </pre>
      <div className="pg-dialog-actions">
        <span role="status">{copied}</span>
        <button type="button" className="primary" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}
