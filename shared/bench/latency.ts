// Latency statistics for the probes: samples kept in a growable Float64Array (no object per sample), exact
// percentiles by nearest rank over the sorted samples, the standard deviation etcdctl check perf judges, and a
// histogram on a 1-2-5 scale of milliseconds.

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  minMs: number;
  meanMs: number;
  /** Population standard deviation, as etcd's benchmark report computes it. */
  stddevMs: number;
}

export interface HistogramBucket {
  /** Upper bound of the bucket in ms (inclusive); the last bucket holds everything slower than the one before. */
  upToMs: number;
  count: number;
}

/** Collects durations in milliseconds. */
export class LatencyRecorder {
  private samples = new Float64Array(1024);
  private length = 0;

  record(ms: number): void {
    if (this.length === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.length] = ms;
    this.length += 1;
  }

  get count(): number {
    return this.length;
  }

  /** The samples recorded so far, sorted ascending (a copy). */
  sorted(): Float64Array {
    return this.samples.slice(0, this.length).sort();
  }
}

/** The value at quantile q (0..1) of ascending samples, by nearest rank: the smallest value with at least q of samples at or below it. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

export function summarise(sorted: Float64Array): LatencySummary {
  const count = sorted.length;
  if (count === 0) return { count, p50Ms: 0, p90Ms: 0, p99Ms: 0, p999Ms: 0, maxMs: 0, minMs: 0, meanMs: 0, stddevMs: 0 };
  let sum = 0;
  for (const value of sorted) sum += value;
  const mean = sum / count;
  let squares = 0;
  for (const value of sorted) squares += (value - mean) ** 2;
  return {
    count,
    p50Ms: quantile(sorted, 0.5),
    p90Ms: quantile(sorted, 0.9),
    p99Ms: quantile(sorted, 0.99),
    p999Ms: quantile(sorted, 0.999),
    maxMs: sorted[count - 1] as number,
    minMs: sorted[0] as number,
    meanMs: mean,
    stddevMs: Math.sqrt(squares / count),
  };
}

/** Bucket bounds 0.1, 0.2, 0.5, 1, 2, 5 ... ms up to the first bound at or above the slowest sample; empty buckets kept. */
export function histogram(sorted: Float64Array): HistogramBucket[] {
  if (sorted.length === 0) return [];
  const max = sorted[sorted.length - 1] as number;
  const bounds: number[] = [];
  for (let decade = 0.1; bounds.length === 0 || (bounds[bounds.length - 1] as number) < max; decade *= 10) {
    for (const step of [1, 2, 5]) {
      const bound = Number((decade * step).toPrecision(3));
      if (bounds.length === 0 || (bounds[bounds.length - 1] as number) < max) bounds.push(bound);
    }
  }
  const buckets = bounds.map((upToMs) => ({ upToMs, count: 0 }));
  let bucket = 0;
  for (const value of sorted) {
    while (value > (buckets[bucket] as HistogramBucket).upToMs && bucket < buckets.length - 1) bucket += 1;
    (buckets[bucket] as HistogramBucket).count += 1;
  }
  return buckets;
}

/** Milliseconds rounded for output: three decimals (microseconds). */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
