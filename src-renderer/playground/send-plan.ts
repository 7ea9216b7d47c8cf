import type { CatalogDocument } from '../../src-shared/catalog/document';
import { planRoute } from '../../src-shared/playground/route-plan';
import type { PaneConfig } from './pane-config';

/**
 * Which panes a send goes to. A pane whose route plan already says it cannot be called (it needs a profile, the
 * model is not offered there, no target) is skipped: sending it would only add a turn repeating the plan's error,
 * so its error stays where it is, in full, in the route plan with its fix, and the page says the pane was skipped.
 */
export function panesToSend<T extends { config: PaneConfig }>(document: CatalogDocument, panes: readonly T[], autoRoute: boolean): { send: T[]; skipped: number[] } {
  const send: T[] = [];
  const skipped: number[] = [];
  panes.forEach((pane, index) => {
    if (planRoute(document, pane.config.target, pane.config.region, autoRoute).ok) send.push(pane);
    else skipped.push(index);
  });
  return { send, skipped };
}

/** "Pane 4 was not sent: …", refering to the route plan, which has the whole reason and the fix. */
export function describeSkipped(skipped: readonly number[], total: number): string | null {
  if (skipped.length === 0) return null;
  const names = skipped.map((index) => index + 1);
  const list = names.length === 1 ? `Pane ${names[0]}` : `Panes ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const why = names.length === 1 ? 'its route plan says why, with the fix' : 'each route plan says why, with the fix';
  if (skipped.length === total) return `Nothing was sent: ${total === 1 ? 'the pane cannot be called as set' : 'no pane can be called as set'} (${why}). The prompt is kept.`;
  return `${list} ${names.length === 1 ? 'was' : 'were'} not sent: ${why}.`;
}
