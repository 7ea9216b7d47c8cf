/**
 * A load run's budget: requests and dollars at most, over every route and warm-up. A request is sent only once the
 * budget has room for it: one more request, and its worst case in dollars (its input and max tokens of output at
 * list prices) within what is left once the requests in flight are counted at their worst. When it ends, its
 * reservation becomes what Bedrock's usage says it cost. Once a request is refused, every later one is: the run
 * stops sending everywhere, and the levels in progress end partial.
 */

export type BudgetRefusal = 'maxRequests' | 'maxCost';

export interface Reservation {
  usd: number;
}

export class LoadBudget {
  private requests = 0;
  private spentUsd = 0;
  private reservedUsd = 0;
  private refusal: BudgetRefusal | null = null;

  constructor(
    readonly maxRequests: number | null,
    readonly maxCostUsd: number | null,
  ) {}

  /** Room for one request of at most `worstCaseUsd` (0 when dollars are not budgeted), or why there is none. */
  admit(worstCaseUsd: number): Reservation | BudgetRefusal {
    if (this.refusal) return this.refusal;
    if (this.maxRequests !== null && this.requests >= this.maxRequests) return (this.refusal = 'maxRequests');
    if (this.maxCostUsd !== null && this.spentUsd + this.reservedUsd + worstCaseUsd > this.maxCostUsd) return (this.refusal = 'maxCost');
    this.requests++;
    this.reservedUsd += worstCaseUsd;
    return { usd: worstCaseUsd };
  }

  /** The request ended: its reservation is replaced by what it cost (nothing for a request that never reached Bedrock). */
  settle(reservation: Reservation, costUsd: number): void {
    this.reservedUsd -= reservation.usd;
    this.spentUsd += costUsd;
  }

  /** Why sending stopped, once it has. */
  exhausted(): BudgetRefusal | null {
    return this.refusal;
  }

  summary(): { requests: number; spentUsd: number } {
    return { requests: this.requests, spentUsd: this.spentUsd };
  }
}
