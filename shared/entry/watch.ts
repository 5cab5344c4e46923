// What `watch` asks: the cluster measured again and again, each frame one window of `interval` over the members only
// (no deployment facts, no logs), until it is stopped or has shown `count` frames.

import type { CheckReport } from '../analyse/report.ts';
import type { ConnectionOptions } from '../connect/types.ts';
import { input } from '../util/errors.ts';
import { count, duration, positiveDuration, type InputSpec } from '../util/input.ts';
import { CHECK_DEFAULTS, runStatus } from './check.ts';

const WATCH_DEFAULTS = { interval: '2s' } as const;

export const WATCH_INPUTS: ReadonlyArray<InputSpec<keyof WatchInput>> = [
  { name: 'interval', value: 'duration', default: WATCH_DEFAULTS.interval, help: 'how often to redraw; each interval is measured as one window' },
  { name: 'count', value: 'n', help: 'stop after this many intervals (default: until stopped)' },
  { name: 'heartbeatInterval', value: 'duration', default: CHECK_DEFAULTS.heartbeatInterval, help: 'the cluster\'s --heartbeat-interval, to judge peer RTT' },
];

export interface WatchInput {
  interval?: string;
  count?: string;
  heartbeatInterval?: string;
}

export interface WatchRequest {
  intervalMs: number;
  count?: number;
  heartbeatMs: number;
}

export function watchRequest(given: WatchInput): WatchRequest {
  return {
    intervalMs: duration(given.interval ?? WATCH_DEFAULTS.interval, 'interval',
      { ok: (ms) => ms >= 500, says: `${input('interval')} must be at least 500ms (each interval is a measuring window)` }),
    ...(given.count !== undefined ? { count: count(given.count, 'count') } : {}),
    heartbeatMs: positiveDuration(given.heartbeatInterval ?? CHECK_DEFAULTS.heartbeatInterval, 'heartbeatInterval'),
  };
}

/** One report per interval, each measured over that interval, until `signal` aborts (a cut-short window is not given). */
export async function* watchReports(connection: ConnectionOptions, request: WatchRequest, signal: AbortSignal): AsyncGenerator<{ report: CheckReport; at: Date }> {
  for (let frames = 0; !signal.aborted && (request.count === undefined || frames < request.count); frames += 1) {
    const report = await runStatus(connection, { windowMs: request.intervalMs, heartbeatMs: request.heartbeatMs, signal });
    if (signal.aborted) return;
    yield { report, at: new Date() };
  }
}
