/**
 * Reproducible randomness for the emulator. Each named stream (one per region and purpose, e.g. "ttft:eu-west-1")
 * has its own generator derived from the scenario's seed, so the draws one region sees do not depend on how many
 * requests other regions received in between: two runs of the same scenario serve the same figures per region.
 */

/** mulberry32: small, fast, and good enough to spread delays and failures. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, mixed with the seed: turns a stream name into that stream's own seed. */
function streamSeed(seed: number, name: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < name.length; index++) {
    hash ^= name.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * A fixed draw in [0, 1) for one named thing (an event's request id, say): the same seed and name always give the
 * same value, without keeping a generator per name.
 */
export function seededFraction(seed: number, name: string): number {
  return mulberry32(streamSeed(seed, name))();
}

export class SeededStreams {
  private readonly generators = new Map<string, () => number>();

  constructor(private readonly seed: number) {}

  /** Uniform in [0, 1). */
  uniform(stream: string): number {
    let next = this.generators.get(stream);
    if (!next) {
      next = mulberry32(streamSeed(this.seed, stream));
      this.generators.set(stream, next);
    }
    return next();
  }

  /** Standard normal (Box-Muller), clamped to ±4 so that one draw never turns a 400 ms median into minutes. */
  normal(stream: string): number {
    const u = Math.max(this.uniform(stream), Number.EPSILON);
    const v = this.uniform(stream);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(-4, Math.min(4, z));
  }
}
