import type { AwsClientPool } from '../aws/client-pool';
import { explainAwsError } from '../aws/errors';
import { PRICING } from '../aws/services';

/**
 * Reads every price document of Bedrock's three service codes from the Price List API, all pages of each. The API
 * answers in a few regions only and its documents cover every region, so it is asked in us-east-1 (the pool's
 * PRICING service signs there whatever region the app works in). The service codes are read side by side; the
 * pages of one follow its NextToken in order.
 */

/**
 * AmazonBedrock: first-party and most third-party models; AmazonBedrockService: Claude Sonnet 4's global
 * cross-region token prices and reserved throughput; AmazonBedrockFoundationModels: the Marketplace-billed models
 * (the Claude 4.5 family, Claude 3.x, Cohere…). Tools that read only the first miss every current Claude price.
 */
export const BEDROCK_PRICE_SERVICE_CODES = ['AmazonBedrock', 'AmazonBedrockService', 'AmazonBedrockFoundationModels'] as const;
export const PRICE_LIST_REGION = 'us-east-1';
/** GetProducts' largest page. */
const PAGE_SIZE = 100;
/** Far beyond the real list (about 90 pages in all): a NextToken that never ends is a fault, not a price list. */
const MAX_PAGES_PER_SERVICE = 2_000;

export interface PriceListProgress {
  serviceCode: string;
  pages: number;
  documents: number;
}

export interface FetchedPriceList {
  documents: string[];
  pages: Record<string, number>;
  fetchedAt: string;
}

export class PriceListUnavailableError extends Error {
  override readonly name = 'PriceListUnavailable';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

async function readServiceCode(clients: AwsClientPool, serviceCode: string, signal: AbortSignal | undefined, onProgress: (progress: PriceListProgress) => void): Promise<{ documents: string[]; pages: number }> {
  const { GetProductsCommand } = await import('@aws-sdk/client-pricing');
  const client = await clients.client(PRICING, PRICE_LIST_REGION);
  const documents: string[] = [];
  const seenTokens = new Set<string>();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const answer = await client.send(new GetProductsCommand({ ServiceCode: serviceCode, FormatVersion: 'aws_v1', MaxResults: PAGE_SIZE, NextToken: nextToken }), { abortSignal: signal });
    pages++;
    // The SDK hands each entry over as a lazily parsed JSON string object (LazyJsonString), not a primitive string.
    documents.push(...(answer.PriceList ?? []).map((entry: unknown) => String(entry)));
    onProgress({ serviceCode, pages, documents: documents.length });
    nextToken = answer.NextToken || undefined;
    if (nextToken !== undefined) {
      if (seenTokens.has(nextToken) || pages >= MAX_PAGES_PER_SERVICE) {
        throw new PriceListUnavailableError(`The Price List API kept paging ${serviceCode} (${pages} pages, a NextToken seen before); the list was not used.`, 'PRICE_LIST_PAGING');
      }
      seenTokens.add(nextToken);
    }
  } while (nextToken !== undefined);
  return { documents, pages };
}

/** Every page of the three service codes, or a PriceListUnavailableError or an AwsCallError that says why not. */
export async function fetchPriceList(clients: AwsClientPool, { signal, onProgress = () => {} }: { signal?: AbortSignal; onProgress?: (progress: PriceListProgress) => void } = {}): Promise<FetchedPriceList> {
  // One service code failing ends the others' paging too: the list is used whole or not at all.
  const stop = new AbortController();
  const both = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  try {
    const read = await Promise.all(
      BEDROCK_PRICE_SERVICE_CODES.map((code) =>
        readServiceCode(clients, code, both, onProgress).catch((error: unknown) => {
          stop.abort();
          throw error;
        }),
      ),
    );
    return {
      documents: read.flatMap((one) => one.documents),
      pages: Object.fromEntries(BEDROCK_PRICE_SERVICE_CODES.map((code, index) => [code, read[index]!.pages])),
      fetchedAt: new Date().toISOString(),
    };
  } catch (error) {
    if (error instanceof PriceListUnavailableError || signal?.aborted) throw error;
    throw explainAwsError(error, { service: 'the Price List API', region: PRICE_LIST_REGION, redact: (text) => clients.redact(text) });
  }
}
