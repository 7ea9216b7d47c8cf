import type { AppInfo } from '../../src-shared/contract';

/**
 * Shown instead of the dashboard when the host refuses this page's token (401): the address was opened without
 * its `#token=…`, or the app was restarted and printed a new one. Reloading cannot help and nothing retries:
 * only the address from the terminal can. The page cannot ask the host how it was started (that needs the
 * token), so it names the command it last knew, or both.
 */
export function TokenPage({ launchCommand }: { launchCommand: AppInfo['launchCommand'] | null }) {
  const commands = launchCommand && launchCommand !== 'desktop app' ? [launchCommand] : ['npm start', 'bedrock-atlas web'];
  return (
    <main className="token-page" data-testid="token-page">
      <h1>
        <span className="brand-mark" aria-hidden>
          ◈
        </span>{' '}
        This page needs the address from your terminal
      </h1>
      <p>
        Bedrock Atlas did not accept this page: it was opened without its access token, the app was restarted since and
        printed a new address, or it was opened from a one-time address that had already been used (the address the app
        opens in your browser works once, so that no other program can reuse it).
      </p>
      <p>
        Open the address that{' '}
        {commands.map((command, index) => (
          <span key={command}>
            {index > 0 ? ' or ' : null}
            <code>{command}</code>
          </span>
        ))}{' '}
        printed in the terminal where {commands.length > 1 ? 'you ran it' : 'it runs'}. It looks like this:
      </p>
      <pre className="token-example">Bedrock Atlas: http://127.0.0.1:41231/#token=…</pre>
      <p className="muted">
        If that command is no longer running, run it again. The token keeps other pages and programs on this computer from using
        your AWS credentials through the app.
      </p>
    </main>
  );
}
