import type { AtlasError } from '../../src-shared/envelope';

/** An error as the user needs it: its name, its full message (which names the fix) and any invalid fields. */
export function ErrorNotice({ error }: { error: unknown }) {
  const atlasError = error as Partial<AtlasError> & Error;
  return (
    <div className="error-notice" role="alert">
      <strong>{atlasError.name ?? 'Error'}</strong>
      {atlasError.code ? <span className="error-code"> ({atlasError.code})</span> : null}
      <p className="error-message">{atlasError.message ?? String(error)}</p>
      {atlasError.issues && atlasError.issues.length > 0 ? (
        <ul>
          {atlasError.issues.map((issue) => (
            <li key={issue.path + issue.message}>
              <code>{issue.path || 'input'}</code>: {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
