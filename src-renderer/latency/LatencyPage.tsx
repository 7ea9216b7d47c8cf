import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { CatalogDocument } from '../../src-shared/catalog/document';
import type { LatencyRunInput, LatencyRunStatus } from '../../src-shared/contract/latency';
import type { LoadRunInput } from '../../src-shared/contract/load';
import { useAtlas } from '../api/atlas-context';
import { useCatalog } from '../catalog/use-catalog';
import { useChartTheme } from './charts/chart-theme';
import { useCell } from '../app/cell';
import { useLiveWork } from '../app/live-work';
import { FromBar } from '../fleet/FromBar';
import { useVantageChoice } from '../fleet/use-fleet';
import { VantageSection } from '../fleet/VantageSection';
import { fromReport } from './figures';
import { HelpPanel } from './HelpPanel';
import { HistorySection } from './HistorySection';
import { ProbePanel } from './ProbePanel';
import { ProgressTable } from './ProgressTable';
import { RankingTable } from './RankingTable';
import { RunForm } from './RunForm';
import { RunResults } from './RunResults';
import { Confirmation } from './Confirmation';
import type { LabMode, LatencyRun } from './latency-work';
import { isLoadEstimate } from '../load/LoadEstimate';
import { LoadLive } from '../load/LoadLive';
import { LoadResults } from '../load/LoadResults';
import { loadRunInput, type LoadOptions } from '../load/load-options';
import { shownFromReport, startedLoad } from '../load/load-work';
import { catalogRegions, DEFAULT_OPTIONS, describeTarget, presetRegions, runInput, type RunOptions } from './run-options';
import './latency.css';

export function LatencyPage() {
  const catalog = useCatalog();
  if (catalog.error) {
    return (
      <section className="empty-state">
        <h1>Latency lab</h1>
        <p className="lat-error">The catalog is not available, so there is nothing to measure yet: {(catalog.error as Error).message}</p>
      </section>
    );
  }
  if (!catalog.data) {
    return (
      <section className="empty-state" aria-busy="true">
        <h1>Latency lab</h1>
        <p>Loading the catalog…</p>
      </section>
    );
  }
  return <LatencyLab document={catalog.data.document} />;
}

const PREFERRED_TARGETS = ['anthropic.claude-3-haiku-20240307-v1:0', 'amazon.nova-lite-v1:0', 'amazon.nova-micro-v1:0'];

function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/** What the form asks for, in the mode it is in: a latency run or a load run. */
type Planned = { mode: 'latency'; input: LatencyRunInput } | { mode: 'load'; input: LoadRunInput };

function plannedInput(mode: LabMode, options: RunOptions, load: LoadOptions): { ok: true; planned: Planned } | { ok: false; message: string } {
  if (mode === 'load') {
    const checked = loadRunInput(options, load);
    return checked.ok ? { ok: true, planned: { mode, input: checked.input } } : checked;
  }
  const checked = runInput(options);
  return checked.ok ? { ok: true, planned: { mode, input: checked.input } } : checked;
}

function LatencyLab({ document }: { document: CatalogDocument }) {
  const { api, streams } = useAtlas();
  const theme = useChartTheme();
  // The runs, their figures and the form live outside the page: a run goes on (and is shown) while the page is away.
  const { latency: work, load: loadWork, fleet } = useLiveWork();
  // "from: this machine | <vantage> | all", shared with the matrix's TTFT overlay.
  const from = useVantageChoice(fleet);
  const [initialOptions] = useState<RunOptions>(() => {
    const target = PREFERRED_TARGETS.find((id) => Object.hasOwn(document.models, id)) ?? Object.keys(document.models)[0] ?? '';
    return { ...DEFAULT_OPTIONS, target, regions: presetRegions(document, target, 'callable') };
  });
  const [storedOptions, setOptions] = useCell(work.options);
  const options = storedOptions ?? initialOptions;
  const [mode, setMode] = useCell(work.mode);
  const [loadOptions, setLoadOptions] = useCell(loadWork.options);
  const run = work.run;
  const loadRun = loadWork.run;
  // Only the runs' status here: progress rows re-render the progress table alone, never the charts below.
  const status = useSyncExternalStore(run.subscribe, () => run.getSnapshot().status);
  const loadStatus = useSyncExternalStore(loadRun.subscribe, () => loadRun.getSnapshot().status);
  const [figures, setFigures] = useCell(work.figures);
  const [shownLoad, setShownLoad] = useCell(loadWork.shown);
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useCell(work.notice);

  const checked = plannedInput(mode, options, loadOptions);
  const pending = useDebounced(checked.ok ? checked.planned : null, 250);
  const estimate = useQuery({
    queryKey: ['estimateRun', pending],
    queryFn: () => (pending!.mode === 'load' ? api.estimateLoadRun(pending!.input) : api.estimateLatencyRun(pending!.input)),
    enabled: pending !== null,
    retry: false,
  });
  const described = useMemo(() => describeTarget(document, options.target), [document, options.target]);
  const targetId = described?.id ?? options.target.trim();
  const regions = useMemo(() => catalogRegions(document), [document]);
  const running = status === 'running' || loadStatus === 'running';
  // Start sits below a long region list, which the form folds once the run starts: bring Progress into view then,
  // or pressing Start seems to do nothing.
  useEffect(() => {
    if (running) window.document.getElementById('lat-live-title')?.closest('section')?.scrollIntoView({ block: 'nearest' });
  }, [running]);
  // A stored load run reopened from the history is brought into view.
  const [reopened, setReopened] = useState<string | null>(null);
  useEffect(() => {
    if (reopened) window.document.getElementById('load-results-title')?.scrollIntoView({ block: 'start' });
  }, [reopened]);

  const start = async (confirmed: boolean) => {
    if (!checked.ok || !estimate.data) return;
    if (estimate.data.needsConfirmation && !confirmed) return setConfirming(true);
    setConfirming(false);
    const { planned } = checked;
    if (planned.mode === 'load') {
      loadWork.notice.set(null);
      setShownLoad(null);
      const input = { ...planned.input, confirmed };
      loadWork.started.set(startedLoad(input));
      // A cancelled run ends with its report (status 'cancelled'): every finished level, shown like a finished run.
      const ended = await loadRun.start((onChunk) => streams.runLoad(input, onChunk));
      if (ended.result) setShownLoad(shownFromReport(ended.result));
      else if (ended.status === 'cancelled') loadWork.notice.set('Cancelled before the first level began: nothing was measured.');
      return;
    }
    setNotice(null);
    setFigures(null);
    const target = targetId;
    const input = { ...planned.input, confirmed };
    // A cancelled run ends with its partial report (status 'cancelled'), shown like a finished one.
    const ended = await run.start((onChunk) => streams.runLatency(input, onChunk));
    if (ended.result) setFigures({ run: fromReport(ended.result), target });
    else if (ended.status === 'cancelled') setNotice('Cancelled before the run began: nothing was measured.');
  };

  const openLoadRun = useCallback(
    async (runId: string) => {
      if (run.running || loadRun.running) throw new Error('a run is in progress: let it end (or cancel it), then open a stored one.');
      const view = await api.loadRunLevels({ runId });
      loadWork.shown.set({ view, cost: null });
      work.mode.set('load');
      setReopened(`${runId} ${Date.now()}`);
    },
    [api, run, loadRun, loadWork, work],
  );

  const confirmation =
    confirming && estimate.data ? (
      <Confirmation estimate={estimate.data} basis={isLoadEstimate(estimate.data) ? estimate.data.requestsBasis : null} onConfirm={() => void start(true)} onBack={() => setConfirming(false)} />
    ) : null;
  return (
    <div className="lat-page">
      <header className="lat-page-header">
        <h1>Latency lab</h1>
        <p className="muted">How fast each region and route is from here: network to last token, under growing load, with history and a ranking.</p>
        <HelpPanel />
      </header>

      <div className="lat-top">
        <RunForm
          document={document}
          options={options}
          onChange={(next) => {
            setOptions(next);
            setConfirming(false);
          }}
          mode={mode}
          onMode={(next) => {
            setMode(next);
            setConfirming(false);
          }}
          load={loadOptions}
          onLoadChange={(next) => {
            setLoadOptions(next);
            setConfirming(false);
          }}
          estimate={{
            data: estimate.data ?? null,
            error: checked.ok ? (estimate.error ? (estimate.error as Error).message : null) : null,
            pending: estimate.isFetching || (checked.ok && JSON.stringify(pending) !== JSON.stringify(checked.planned)),
          }}
          problem={checked.ok ? null : checked.message}
          running={running}
          onStart={() => void start(false)}
          onCancel={() => (mode === 'load' ? loadRun.cancel() : run.cancel())}
        />
        {mode === 'load' ? <LoadLive work={loadWork} confirmation={confirmation} /> : <LiveSection run={run} confirmation={confirmation} notice={notice} />}
      </div>

      {mode === 'load' ? shownLoad ? <LoadResults shown={shownLoad} theme={theme} /> : null : figures ? <RunResults run={figures.run} target={figures.target} theme={theme} /> : null}
      <ProbePanel regions={options.regions} theme={theme} />
      <FromBar choice={from} />
      <HistorySection target={targetId} theme={theme} refreshKey={(mode === 'load' ? shownLoad?.view.id : figures?.run.id) ?? null} vantage={from.vantage} teamStamp={from.stamp} onOpenLoadRun={openLoadRun} />
      <VantageSection target={targetId} choice={from} refreshKey={figures?.run.id ?? null} />
      <RankingTable target={targetId} regions={regions} defaultHome={regions.includes('us-east-1') ? 'us-east-1' : (regions[0] ?? 'us-east-1')} refreshKey={figures?.run.id ?? null} vantage={from.vantage} teamStamp={from.stamp} />
    </div>
  );
}

/** The live part: the only component that re-renders on every progress flush. */
function LiveSection({ run, confirmation, notice }: { run: LatencyRun; confirmation: ReactNode; notice: string | null }) {
  const live = useSyncExternalStore(run.subscribe, run.getSnapshot);
  return (
    <section className="lat-live" aria-labelledby="lat-live-title" data-testid="live">
      <h2 id="lat-live-title">
        Progress{' '}
        {live.status === 'running' ? <span className="lat-badge">running</span> : null}
        {live.status === 'cancelled' ? <span className="lat-badge lat-badge-warn">cancelled</span> : null}
        {live.status === 'done' ? <RunStatusBadge status={live.result?.status} /> : null}
      </h2>
      {confirmation}
      {live.status === 'idle' && !confirmation ? <p className="lat-empty">No run yet. Choose a target and regions, check the estimate, then press Start. Progress per route appears here as samples arrive.</p> : null}
      {live.status !== 'idle' ? <ProgressTable rows={Object.values(live.view)} cancelled={live.status === 'cancelled'} /> : null}
      {live.status === 'failed' && live.error ? (
        <p className="lat-error" role="alert">
          The run did not start: {live.error.message}
        </p>
      ) : null}
      {live.status === 'cancelled' ? <p className="lat-warn-text">Cancelled: requests in flight were aborted upstream; the samples measured so far are kept and stored, marked cancelled.</p> : null}
      {notice ? <p className="muted">{notice}</p> : null}
    </section>
  );
}

/** A finished run says how it went: done only when every route produced samples. */
function RunStatusBadge({ status }: { status: LatencyRunStatus | undefined }) {
  if (status === 'failed') return <span className="lat-badge lat-badge-error">failed: no route answered</span>;
  if (status === 'partial') return <span className="lat-badge lat-badge-warn">partial: some routes failed</span>;
  return <span className="lat-badge lat-badge-ok">done</span>;
}
