import { Cell } from '../app/cell';
import type { PaneConfig } from './pane-config';
import type { PaneSession } from './pane-session';

/**
 * What the playground keeps while the page is away: the panes with their sessions (an answer streaming goes on
 * streaming into its session), the conversation they belong to (so the save at the end of a send updates the
 * same conversation, whichever page is open), and the settings and draft around them.
 */

export interface PaneState {
  config: PaneConfig;
  session: PaneSession;
}

export interface PlaygroundWork {
  /** null until the page first opens with a catalog (its default target comes from the catalog). */
  panes: Cell<PaneState[] | null>;
  conversation: Cell<{ id: string | null; title: string | null }>;
  system: Cell<string>;
  autoRoute: Cell<boolean>;
  prompt: Cell<string>;
  notice: Cell<string | null>;
}

export function createPlaygroundWork(): PlaygroundWork {
  return {
    panes: new Cell<PaneState[] | null>(null),
    conversation: new Cell<{ id: string | null; title: string | null }>({ id: null, title: null }),
    system: new Cell(''),
    autoRoute: new Cell(false),
    prompt: new Cell(''),
    notice: new Cell<string | null>(null),
  };
}
