import { useId, useState } from 'react';
import { quotaIncreaseWorksheet, SUPPORT_CASE_URL, type QuotaIncreaseWorksheet, type WorksheetFigure } from '../../src-shared/capacity/worksheet';
import type { CapacityAnswer } from '../../src-shared/contract/capacity';
import { visibleText } from '../../src-shared/text/visible-text';
import { formatCount } from './format';
import { LIMIT_LABEL } from './CapacityTable';
import { KIND_LABEL } from './QuotasSection';

type FigureKey = 'steadyRequestsPerMinute' | 'peakRequestsPerMinute' | 'steadyTokensPerMinute' | 'peakTokensPerMinute' | 'averageInputTokens' | 'averageOutputTokens';

const FIGURES: [FigureKey, string][] = [
  ['steadyRequestsPerMinute', 'Steady requests per minute'],
  ['peakRequestsPerMinute', 'Peak requests per minute'],
  ['steadyTokensPerMinute', 'Steady tokens per minute'],
  ['peakTokensPerMinute', 'Peak tokens per minute'],
  ['averageInputTokens', 'Average input tokens per request'],
  ['averageOutputTokens', 'Average output tokens per request'],
];

const SOURCE_LABEL: Record<WorksheetFigure['source'], string> = { cloudwatch: 'CloudWatch, last 24 hours', calculator: 'the planned workload' };

/**
 * Where the worksheet leads: the console's request page for an adjustable quota to raise, a support case for one
 * Service Quotas will not raise, the quota's own page when it is already enough.
 */
export function worksheetLink(sheet: QuotaIncreaseWorksheet): { url: string; label: string } | null {
  if (!sheet.quota || !sheet.consoleUrl) return null;
  if (sheet.quota.requested === null) return { url: sheet.consoleUrl, label: 'Open the quota’s page ↗' };
  return sheet.quota.adjustable ? { url: sheet.consoleUrl, label: 'Open request page ↗' } : { url: SUPPORT_CASE_URL, label: 'Open a support case ↗' };
}

/**
 * Section d, the quota increase worksheet: the figures an increase request asks for, prefilled from CloudWatch where
 * the route has usage and from the calculator otherwise (src-shared/capacity/worksheet.ts, the CLI's text too), a
 * use case to write, Copy as text and the console's request page. The app never files a request itself: the console
 * page is where the user reviews the account, region, quota and value and submits it.
 */
export function WorksheetSection({ answer }: { answer: CapacityAnswer }) {
  const id = useId();
  const [chosen, setChosen] = useState<string | null>(null);
  const [useCase, setUseCase] = useState('');
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);
  const route = answer.routes.find((candidate) => candidate.invokeId === chosen) ?? answer.routes[0];
  if (!route) return null;
  const sheet = quotaIncreaseWorksheet(answer, route, useCase);
  const link = worksheetLink(sheet);
  const copy = () =>
    navigator.clipboard
      .writeText(sheet.text)
      .then(() => setCopied('copied'))
      .catch(() => setCopied('failed'))
      .finally(() => setTimeout(() => setCopied(null), 1600));

  return (
    <section className="cap-section" aria-labelledby={`${id}-title`} data-testid="cap-worksheet">
      <header className="cap-section-header">
        <h2 id={`${id}-title`}>Quota increase worksheet</h2>
        <label className="cap-inline">
          <span>Route</span>
          <select value={route.invokeId} onChange={(event) => setChosen(event.target.value)}>
            {answer.routes.map((candidate) => (
              <option key={candidate.invokeId} value={candidate.invokeId}>
                {candidate.invokeId} ({KIND_LABEL[candidate.routeKind]})
              </option>
            ))}
          </select>
        </label>
      </header>
      <div className="cap-worksheet">
        <div>
          <p data-testid="worksheet-quota">
            {sheet.quota ? (
              <>
                Raise <strong>{visibleText(sheet.quota.quotaName)}</strong> (<code>{visibleText(sheet.quota.quotaCode)}</code>, {LIMIT_LABEL[sheet.quota.limit]}) in <span className="region-name">{sheet.region}</span>: now{' '}
                {sheet.quota.current === null ? 'unknown' : formatCount(sheet.quota.current)},{' '}
                {sheet.quota.requested === null ? 'enough for the target already' : <>ask for <strong>{formatCount(sheet.quota.requested)}</strong></>}
                {sheet.quota.requested !== null && !sheet.quota.adjustable ? ' — Service Quotas does not accept increases of it: open a support case' : ''}.
              </>
            ) : (
              <>No quota found for {route.invokeId} in {sheet.region}: there is nothing to raise.</>
            )}
          </p>
          <table className="dense cap-worksheet-figures" data-testid="worksheet-figures" aria-label="Figures for the request">
            <tbody>
              {FIGURES.map(([key, label]) => {
                const figure = sheet[key];
                return (
                  <tr key={key}>
                    <th scope="row">{label}</th>
                    <td className="num">{formatCount(figure.value)}</td>
                    <td className="muted">{SOURCE_LABEL[figure.source]}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <div className="cap-worksheet-use">
          <label className="cap-field" htmlFor={`${id}-use-case`}>
            <span>Use case</span>
          </label>
          <textarea id={`${id}-use-case`} rows={4} value={useCase} onChange={(event) => setUseCase(event.target.value)} placeholder="The application, its users and why it needs this throughput" />
          <div className="cap-worksheet-actions">
            <button type="button" onClick={() => void copy()}>
              {copied === 'copied' ? '✓ Copied' : copied === 'failed' ? 'Could not copy' : 'Copy as text'}
            </button>
            {link ? (
              <a className="cap-link-button" href={link.url} target="_blank" rel="noopener noreferrer" title={link.url} data-testid="worksheet-open">
                {link.label}
              </a>
            ) : null}
          </div>
          <p className="muted cap-small">Bedrock Atlas files nothing: the console page opens, where you check the account, region, quota and value and submit the request yourself.</p>
          <details>
            <summary>The text</summary>
            <pre className="cap-worksheet-text" data-testid="worksheet-text">
              {sheet.text}
            </pre>
          </details>
        </div>
      </div>
    </section>
  );
}
