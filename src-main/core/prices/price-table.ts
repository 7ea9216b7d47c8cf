import type { PriceRouteKind, PriceTableInfo, PriceTier, RoutePrice } from '../../../src-shared/contract/prices';
import type { PriceTableFile } from './table-file';

/** A loaded price table: its rows looked up by route, and what the UI and the CLI say about it (date, source). */
export class PriceTable {
  private readonly byRoute = new Map<string, RoutePrice>();

  constructor(
    readonly file: PriceTableFile | null,
    readonly info: PriceTableInfo,
  ) {
    for (const row of file?.rows ?? []) this.byRoute.set(PriceTable.key(row.modelId, row.region, row.routeKind, row.tier), row);
  }

  private static key(modelId: string, region: string, routeKind: PriceRouteKind, tier: PriceTier): string {
    return `${modelId}|${region}|${routeKind}|${tier}`;
  }

  /** The price of one route (a profile is priced in its source region), or null when the table has none. */
  priceFor(modelId: string, region: string, routeKind: PriceRouteKind, tier: PriceTier = 'standard'): RoutePrice | null {
    return this.byRoute.get(PriceTable.key(modelId, region, routeKind, tier)) ?? null;
  }

  rows(): readonly RoutePrice[] {
    return this.file?.rows ?? [];
  }

  /** The same table with a different account of where it came from (a cache read again, a fallback said). */
  describedAs(info: Partial<PriceTableInfo>): PriceTable {
    return new PriceTable(this.file, { ...this.info, ...info });
  }

  static empty(): PriceTable {
    return new PriceTable(null, { asOf: null, fetchedAt: null, source: 'none', origin: null, products: { read: 0, priced: 0, unused: 0, outOfScope: 0 } });
  }

  static fromFile(file: PriceTableFile, source: PriceTableInfo['source']): PriceTable {
    const origin = file.source.kind === 'aws' ? `AWS Price List API${file.source.endpoint ? ` (${file.source.endpoint})` : ''}` : file.source.kind === 'emulator' ? 'the emulator' : 'the recorded sample price documents';
    return new PriceTable(file, { asOf: file.asOf, fetchedAt: file.generatedAt, source, origin, products: file.products });
  }
}
