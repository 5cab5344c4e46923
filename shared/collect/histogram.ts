// Histograms from scraped samples, their deltas over a window, and interpolated quantiles (Prometheus' histogram_quantile).

import type { Sample } from './prometheus-text.ts';

export interface Histogram {
  /** Upper bounds ascending, the last one +Inf; counts cumulative. */
  buckets: Array<{ le: number; count: number }>;
  count: number;
  sum: number;
}

export interface Quantile {
  q: number;
  /** Interpolated value in the histogram's unit (seconds for etcd). */
  value: number;
  /** The bucket the quantile falls into: (lower, upper]. */
  bucketLower: number;
  bucketUpper: number;
  /** Observations the estimate is based on. */
  samples: number;
}

/** Sums every series of a histogram whose labels match `filter` (e.g. all peers' RTTs) into one histogram. */
export function extractHistogram(
  samples: readonly Sample[],
  name: string,
  filter: (labels: Record<string, string>) => boolean = () => true,
): Histogram | undefined {
  const byLe = new Map<number, number>();
  let count = 0;
  let sum = 0;
  let seen = false;
  for (const sample of samples) {
    if (!filter(sample.labels)) continue;
    if (sample.name === `${name}_bucket`) {
      const le = sample.labels.le === '+Inf' ? Infinity : Number(sample.labels.le);
      byLe.set(le, (byLe.get(le) ?? 0) + sample.value);
      seen = true;
    } else if (sample.name === `${name}_count`) {
      count += sample.value;
    } else if (sample.name === `${name}_sum`) {
      sum += sample.value;
    }
  }
  if (!seen) return undefined;
  const buckets = [...byLe.entries()].sort((a, b) => a[0] - b[0]).map(([le, c]) => ({ le, count: c }));
  return { buckets, count, sum };
}

/**
 * Observations between two scrapes: bucket by bucket, later minus earlier. A counter reset (a member restarted in the
 * window) makes a negative delta; then the later histogram alone is what happened since the restart.
 */
export function histogramDelta(earlier: Histogram, later: Histogram): Histogram {
  const before = new Map(earlier.buckets.map((b) => [b.le, b.count]));
  const buckets = later.buckets.map((b) => ({ le: b.le, count: b.count - (before.get(b.le) ?? 0) }));
  if (later.count < earlier.count || buckets.some((b) => b.count < 0)) return later;
  return { buckets, count: later.count - earlier.count, sum: later.sum - earlier.sum };
}

/**
 * The q-quantile by linear interpolation inside the bucket that holds rank q*count, as Prometheus does: the lowest
 * bucket starts at 0, and a rank in the +Inf bucket reports the highest finite bound. Undefined when there is no data.
 */
export function histogramQuantile(q: number, histogram: Histogram | undefined): Quantile | undefined {
  if (!histogram) return undefined;
  const { buckets } = histogram;
  const total = buckets[buckets.length - 1]?.count ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let index = buckets.findIndex((b) => b.count >= rank);
  if (index < 0) index = buckets.length - 1;
  const bucket = buckets[index] as { le: number; count: number };
  const previous = index > 0 ? (buckets[index - 1] as { le: number; count: number }) : { le: 0, count: 0 };
  if (bucket.le === Infinity) {
    return { q, value: previous.le, bucketLower: previous.le, bucketUpper: Infinity, samples: total };
  }
  const lower = index === 0 && bucket.le <= 0 ? bucket.le : previous.le;
  const inBucket = bucket.count - previous.count;
  const value = inBucket > 0 ? lower + (bucket.le - lower) * ((rank - previous.count) / inBucket) : bucket.le;
  return { q, value: Number(value.toPrecision(12)), bucketLower: lower, bucketUpper: bucket.le, samples: total };
}
