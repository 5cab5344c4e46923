// Durations as users type them (Go's time.ParseDuration subset etcdctl accepts: "500ms", "2s", "1m30s", "0").

import { UsageError, type Field } from './errors.ts';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a duration into milliseconds; throws UsageError naming the field on bad input. */
export function parseDuration(text: string, field: Field): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const part = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(trimmed); match; match = part.exec(trimmed)) {
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    consumed = part.lastIndex;
  }
  if (trimmed === '' || consumed !== trimmed.length) {
    throw new UsageError(`invalid duration "${text}" (use a number with a unit, e.g. 500ms, 2s, 1m)`, field);
  }
  return total;
}

/** Formats milliseconds the way a person reads them: 850ms, 2.5s, 1m30s. */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${Number(ms.toPrecision(3))}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toPrecision(3))}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes}m${seconds}s` : `${minutes}m`;
}

/** Formats seconds as milliseconds with sensible precision ("4.2 ms", "0.31 ms"). */
export function formatSecondsAsMs(seconds: number): string {
  const ms = seconds * 1000;
  return `${ms >= 100 ? Math.round(ms) : Number(ms.toPrecision(2))} ms`;
}

/** A logged duration in milliseconds as the logs report shows it: "182.8 ms", "1.50 s". */
export function formatLoggedMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}
