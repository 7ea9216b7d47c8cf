import { LOCAL_VANTAGE } from '../../src-shared/contract/vantage';
import { Cell } from '../app/cell';

/**
 * Where the latency figures are read from ("from: this machine | <vantage> | all"): one choice for the latency
 * lab's history, ranking and the matrix's TTFT overlay and cell panel, kept while the pages come and go, so a
 * vantage picked on one page is the one the other shows.
 */
export interface FleetWork {
  from: Cell<string>;
}

export function createFleetWork(): FleetWork {
  return { from: new Cell<string>(LOCAL_VANTAGE) };
}
