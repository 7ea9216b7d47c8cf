import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useAtlas } from '../api/atlas-context';
import { ErrorBoundary } from './ErrorBoundary';
import { TokenPage } from './TokenPage';
import { StatusBar } from '../status/StatusBar';
import { FailureBanner } from '../status/FailureBanner';
import { useDiscoveryStatus } from '../status/use-discovery-status';
import { MatrixPage } from '../matrix/MatrixPage';
import { SkipToMatrix } from '../matrix/SkipToMatrix';
import { ProfilesPage } from '../profiles/ProfilesPage';
import { SettingsPage } from '../settings/SettingsPage';
import { LatencyPage } from '../latency/LatencyPage';
import { PlaygroundPage } from '../playground/PlaygroundPage';
import { CapacityPage } from '../capacity/CapacityPage';
import { useRefresh } from '../catalog/use-catalog';
import type { AppInfo } from '../../src-shared/contract';
import './app.css';

export const PAGES = [
  { id: 'matrix', label: 'Matrix', render: () => <MatrixPage /> },
  { id: 'profiles', label: 'Profiles', render: () => <ProfilesPage /> },
  { id: 'latency', label: 'Latency', render: () => <LatencyPage /> },
  { id: 'capacity', label: 'Capacity', render: () => <CapacityPage /> },
  { id: 'playground', label: 'Playground', render: () => <PlaygroundPage /> },
  { id: 'settings', label: 'Settings', render: () => <SettingsPage /> },
] as const;

type PageId = (typeof PAGES)[number]['id'];

/** Alt+1…9 by the physical key (`Digit1`, or `Numpad1`): -1 for any other key. */
export function pageIndexOfKey(code: string): number {
  const digit = /^(?:Digit|Numpad)([1-9])$/.exec(code);
  return digit ? Number(digit[1]) - 1 : -1;
}

/** `#/matrix?model=…`: the page is the path, what follows `?` is for the page itself. */
function pageFromHash(): PageId {
  const id = window.location.hash.replace(/^#\/?/, '').split('?')[0];
  return (PAGES.find((page) => page.id === id)?.id ?? 'matrix') as PageId;
}

function isUnauthorized(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'UNAUTHORIZED';
}

function useTheme(enabled: boolean) {
  const { api } = useAtlas();
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => api.getSettings(), enabled });
  const theme = settings.data?.theme ?? 'system';
  useEffect(() => {
    // The stylesheet keys its dark palette on data-theme; "system" follows the OS and its later changes.
    const dark = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      document.documentElement.dataset.theme = theme === 'system' ? (dark.matches ? 'dark' : 'light') : theme;
    };
    apply();
    dark.addEventListener('change', apply);
    return () => dark.removeEventListener('change', apply);
  }, [theme]);
}

/**
 * Asks the host who it is before anything else: with a refused token (401) no query would ever succeed, so the
 * dashboard is not mounted (no retries, no Refresh button that cannot work) and the token page says what to do.
 */
export function App() {
  const { api } = useAtlas();
  const appInfo = useQuery<AppInfo>({
    queryKey: ['appInfo'],
    queryFn: () => api.getAppInfo(),
    retry: (failures, error) => !isUnauthorized(error) && failures < 1,
  });
  const unauthorized = isUnauthorized(appInfo.error);
  useTheme(!unauthorized && !appInfo.isPending);
  if (unauthorized) return <TokenPage launchCommand={appInfo.data?.launchCommand ?? launchCommandOfPage()} />;
  if (appInfo.isPending) return <div className="app" aria-busy="true" />;
  return <Dashboard />;
}

function Dashboard() {
  const [page, setPage] = useState<PageId>(pageFromHash);
  const [, setFocusRequest] = useState(0);
  const refresh = useRefresh();
  const status = useDiscoveryStatus(refresh);

  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // After Alt+digit, focus goes to the new page's heading (not <body>), once that page has rendered it. The target
  // page is remembered, not just "a focus is due": a render of the old page before the hash change arrives (a query
  // answering) would otherwise take the old heading and end the request.
  const focusHeadingOf = useRef<PageId | null>(null);
  useEffect(() => {
    if (focusHeadingOf.current !== page) return;
    let frame = 0;
    let tries = 0;
    const focus = () => {
      const heading = document.querySelector<HTMLElement>('.app-main h1');
      if (heading) {
        focusHeadingOf.current = null;
        heading.tabIndex = -1;
        heading.focus();
      } else if (++tries < 600) frame = requestAnimationFrame(focus);
    };
    focus();
    return () => cancelAnimationFrame(frame);
  });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      // The physical key, not the character: on macOS Option+1 types "¡" and Option+R "®".
      const index = pageIndexOfKey(event.code);
      if (index >= 0 && index < PAGES.length) {
        event.preventDefault();
        focusHeadingOf.current = PAGES[index]!.id;
        if (PAGES[index]!.id === pageFromHash()) setFocusRequest((count) => count + 1);
        else window.location.hash = `#/${PAGES[index]!.id}`;
      } else if (event.code === 'KeyR') {
        event.preventDefault();
        if (!refresh.scan.running) refresh.refresh.mutate();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [refresh.scan.running, refresh.refresh]);

  const current = PAGES.find((candidate) => candidate.id === page)!;
  const snapshot = status.catalog.data;
  return (
    <div className={`app${status.failure && snapshot ? ' with-banner' : ''}`}>
      <SkipToMatrix />
      <header className="app-header">
        <div className="brand" aria-label="Bedrock Atlas">
          <span className="brand-mark" aria-hidden>
            ◈
          </span>
          Bedrock Atlas
        </div>
        <nav aria-label="Pages">
          {PAGES.map((candidate, index) => (
            <a
              key={candidate.id}
              href={`#/${candidate.id}`}
              className={candidate.id === page ? 'active' : undefined}
              aria-current={candidate.id === page ? 'page' : undefined}
              title={`${candidate.label} (Alt+${index + 1})`}
            >
              {candidate.label}
            </a>
          ))}
        </nav>
      </header>
      {status.failure && snapshot ? (
        <FailureBanner
          failure={status.failure}
          snapshot={snapshot}
          retrying={refresh.scan.running || refresh.refresh.isPending}
          onRetry={() => refresh.refresh.mutate()}
          onShowRegions={() => status.setRegionsOpen(true)}
        />
      ) : null}
      <main className="app-main">
        <ErrorBoundary area={current.label} key={current.id}>
          {current.render()}
        </ErrorBoundary>
      </main>
      <ErrorBoundary area="Status bar">
        <StatusBar refresh={refresh} status={status} />
      </ErrorBoundary>
    </div>
  );
}

/** The browser host names its launch command in the page itself, for the page shown before any API call works. */
function launchCommandOfPage(): AppInfo['launchCommand'] | null {
  const content = document.querySelector<HTMLMetaElement>('meta[name="bedrock-atlas-launch-command"]')?.content;
  return content === 'npm start' || content === 'bedrock-atlas web' ? content : null;
}
