import { createHash } from 'node:crypto';
import type { PromptTokens } from './prompt';

/**
 * Prompt caching as Bedrock reports it: the first request whose prompt carries a given prefix (everything before
 * its last `cachePoint`) writes that prefix to the cache, and requests within the time to live read it back. The
 * cache is per region and model; a hit refreshes the time to live. Cached tokens are reported apart from
 * `inputTokens`, which keeps only the uncached rest.
 */

export interface CacheUsage {
  inputTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

/** Expired entries are swept when the cache holds more than this many prefixes. */
const SWEEP_ABOVE = 1000;

export class PromptCache {
  private readonly expiries = new Map<string, number>();

  usage(region: string, modelId: string, prompt: PromptTokens, now = Date.now()): CacheUsage {
    const prefix = prompt.cachePrefix;
    if (!prefix) return { inputTokens: prompt.totalTokens };
    const key = createHash('sha256').update(`${region}\n${modelId}\n${prefix.material}`).digest('hex');
    const hit = (this.expiries.get(key) ?? 0) > now;
    this.expiries.set(key, now + prefix.ttlMs);
    if (this.expiries.size > SWEEP_ABOVE) {
      for (const [entry, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(entry);
    }
    return {
      inputTokens: prompt.totalTokens - prefix.tokens,
      cacheReadInputTokens: hit ? prefix.tokens : 0,
      cacheWriteInputTokens: hit ? 0 : prefix.tokens,
    };
  }

  clear(): void {
    this.expiries.clear();
  }
}
