import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, useSyncExternalStore } from 'react';
import type { CatalogDocument, ModelAccess } from '../../src-shared/catalog/document';
import { useAtlas } from '../api/atlas-context';
import type { RowsShown } from '../matrix/rows-shown';
import { ACCESS_MARKS, ACCESS_VERDICTS, accessAsks, accessOverlayCss, describeMarks, judgeCells } from './matrix-access';
import './matrix-access.css';

/** Models asked at once: each ask is one call with every region of the row, and the rows shown are a few dozen. */
const PARALLEL_ASKS = 4;

/** A queue that runs at most `limit` of the given tasks at a time, in the order they came. */
function createLimiter(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T,>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/**
 * The matrix's "Check my access" toggle: for the rows on screen, the cheap checks of the access doctor (offered,
 * account access, lifecycle) and a mark on each cell the caller cannot use, with its legend. One `getModelAccess`
 * per model (its regions together), answered from the catalog's access cache when known; never IAM: the policy
 * simulator runs only from a cell's own Check access. Like the TTFT overlay it is a stylesheet over the cells. Its
 * toggle sits at the end of the legend row, which explains its marks (the toolbar is full at 1280 px).
 */
export function MatrixAccessOverlay({ document, regions, rowsShown }: { document: CatalogDocument; regions: readonly string[]; rowsShown: RowsShown }) {
  const { api } = useAtlas();
  const queryClient = useQueryClient();
  const [on, setOn] = useState(false);
  const [limit] = useState(() => createLimiter(PARALLEL_ASKS));
  const shown = useSyncExternalStore(rowsShown.subscribe, rowsShown.get);
  const asks = useMemo(() => (on ? accessAsks(document, shown, regions) : []), [on, document, shown, regions]);
  const answers = useQueries({
    queries: asks.map((ask) => ({
      queryKey: ['matrixAccess', ask.modelId, ask.regions],
      staleTime: Infinity,
      queryFn: () =>
        limit(async () => {
          const access = await api.getModelAccess(ask);
          // The cell panel asks region by region: give it these answers so that opening a cell asks nothing again.
          for (const [region, entry] of Object.entries(access)) queryClient.setQueryData(['access', ask.modelId, region], { [region]: entry });
          return access;
        }),
    })),
  });
  const byModel: Record<string, Record<string, ModelAccess>> = {};
  asks.forEach((ask, index) => {
    const data = answers[index]?.data;
    if (data) byModel[ask.modelId] = data;
  });
  const cells = on ? judgeCells(document, shown, regions, byModel) : [];
  const pending = answers.filter((answer) => answer.isPending).length;
  const failed = answers.map((answer, index) => ({ error: answer.error, modelId: asks[index]?.modelId })).filter((entry) => entry.error);
  const summary = describeMarks(cells);

  return (
    <>
      <button
        type="button"
        className="access-overlay-toggle"
        aria-pressed={on}
        onClick={() => setOn(!on)}
        title="Check my access: for the rows shown, mark the cells your account cannot use (model access, agreement, lifecycle, an API key's region). IAM policies are checked per cell, with Check access in its panel."
      >
        Check my access
      </button>
      {on ? (
        <>
          <style>{accessOverlayCss(cells)}</style>
          <div className="access-overlay-legend" role="status" data-testid="access-overlay-legend">
            <span data-testid="access-overlay-summary">
              {pending > 0
                ? `Checking access for ${pending} of ${asks.length} models shown…`
                : `Access for the ${asks.length} models shown: ${summary || 'every callable cell can be used'}`}
              {failed.length > 0 ? ` · could not be read for ${failed.length} (${failed[0]?.modelId}: ${failed[0]?.error?.message})` : ''}
            </span>
            {ACCESS_VERDICTS.map((verdict) => (
              <span key={verdict} className="access-mark" data-verdict={verdict}>
                <span className={`access-swatch access-swatch-${verdict}`} style={{ background: ACCESS_MARKS[verdict].color, color: ACCESS_MARKS[verdict].ink }} aria-hidden>
                  {ACCESS_MARKS[verdict].glyph}
                </span>{' '}
                {ACCESS_MARKS[verdict].label}
              </span>
            ))}
            <span className="muted">IAM and organization policies: Check access in a cell’s panel.</span>
          </div>
        </>
      ) : null}
    </>
  );
}
