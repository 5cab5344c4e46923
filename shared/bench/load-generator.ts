// The load generator's hot loop: `clients` workers, each with one request in flight on its connection, fed by a
// pacer that releases requests at `rate` per second the way etcdctl check perf's limiter does (burst 1, a queue of at
// most `clients` waiting requests, no catching up after the cluster stalled). Each request is a copy of a template
// with a random key written in; latencies go into a Float64Array. Nothing else is allocated per request.

import { constants, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import type { RawConnection } from '../connect/grpc/raw-connection.ts';
import { LatencyRecorder } from './latency.ts';
import type { KeyedTemplate } from '../connect/grpc/wire.ts';
import type { ClientStalls } from '../analyse/load-verdict.ts';

export interface GeneratorSpec {
  method: string;
  request: KeyedTemplate;
  clients: number;
  /** Requests per second; 0 = as fast as the workers go. */
  rate: number;
  /** Stop after this many requests (sent), or after durationMs, whichever comes first. */
  total?: number;
  durationMs?: number;
  keySpaceSize: number;
  requestTimeoutMs: number;
}

export interface GeneratorResult {
  latencies: LatencyRecorder;
  /** Successful requests. */
  succeeded: number;
  errors: Record<string, number>;
  /** From the first request sent to the last reply. */
  elapsedMs: number;
  /** CPU this process used, in cores, over the run. */
  clientCpuCores: number;
  /** The generator's own stalls: its event loop's longest delay, and its longest and total garbage collection. */
  stalls: ClientStalls;
}

/** Watches this process while it generates load: a request is only as slow as our event loop lets it be. */
function watchStalls(): { stop(): Omit<ClientStalls, 'slowestSentAtSeconds'> } {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let gcPauseMaxMs = 0;
  let gcTotalMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcTotalMs += entry.duration;
      // Incremental marking steps run between tasks; the pauses that hold a reply are the others.
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind !== constants.NODE_PERFORMANCE_GC_INCREMENTAL) gcPauseMaxMs = Math.max(gcPauseMaxMs, entry.duration);
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      delay.disable();
      gc.disconnect();
      const round = (value: number): number => Math.round(value * 10) / 10;
      return { eventLoopDelayMaxMs: round(delay.max / 1e6), gcPauseMaxMs: round(gcPauseMaxMs), gcTotalMs: round(gcTotalMs) };
    },
  };
}

export interface GeneratorProgress {
  sent: number;
  succeeded: number;
  errors: number;
  elapsedMs: number;
}

const HEX = '0123456789abcdef';

/** Writes `index` as fixed-width hex, zero-padded on the left, into `buffer` at `offset`. */
function writeKey(buffer: Buffer, offset: number, width: number, index: number): void {
  let v = index;
  for (let at = offset + width - 1; at >= offset; at -= 1) {
    buffer[at] = HEX.charCodeAt(v % 16);
    v = Math.floor(v / 16);
  }
}

/** The largest key space a width of hex digits can address (within safe integers). */
export function keySpaceLimit(width: number): number {
  return width >= 13 ? Number.MAX_SAFE_INTEGER : 16 ** width;
}

export function generate(
  connections: RawConnection[], spec: GeneratorSpec, signal: AbortSignal | undefined, onProgress?: (progress: GeneratorProgress) => void,
): Promise<GeneratorResult> {
  const latencies = new LatencyRecorder();
  const errors: Record<string, number> = {};
  const { template, keyOffsets, width } = spec.request;
  const interval = spec.rate > 0 ? 1000 / spec.rate : 0;
  const limit = spec.total ?? Infinity;
  const cpuBefore = process.cpuUsage();
  const watch = watchStalls();
  const started = performance.now();
  let slowest = { ms: -1, sentAt: 0 };
  const deadline = spec.durationMs === undefined ? Infinity : started + spec.durationMs;
  let sent = 0;
  let succeeded = 0;
  let failed = 0;
  let inFlight = 0;
  let lastReply = started;
  /** Requests the pacer has released that no worker has taken yet (etcdctl's channel). */
  let queued = 0;
  /** When the pacer releases its next request. */
  let nextRelease = started;
  const idle: RawConnection[] = [];
  for (let i = 0; i < spec.clients; i += 1) idle.push(connections[i % connections.length] as RawConnection);
  let timer: NodeJS.Timeout | undefined;
  let finish: (() => void) | undefined;
  const stopped = (now: number): boolean => signal?.aborted === true || now >= deadline || sent + queued >= limit;

  const send = (connection: RawConnection): void => {
    const request = Buffer.allocUnsafe(template.length);
    template.copy(request);
    for (const offset of keyOffsets) writeKey(request, offset, width, Math.floor(Math.random() * spec.keySpaceSize));
    sent += 1;
    inFlight += 1;
    const at = performance.now();
    connection.call(spec.method, request, spec.requestTimeoutMs, (error) => {
      const now = performance.now();
      inFlight -= 1;
      lastReply = now;
      if (error) {
        failed += 1;
        const cause = (error.details || error.message).split('\n')[0] as string;
        errors[cause] = (errors[cause] ?? 0) + 1;
      } else {
        succeeded += 1;
        latencies.record(now - at);
        if (now - at > slowest.ms) slowest = { ms: now - at, sentAt: at };
      }
      idle.push(connection);
      pump();
    });
  };

  // Releases what the rate allows (at most `clients` waiting, like etcdctl's channel), hands it to idle workers,
  // and sets a timer for the next release when there is nothing else to wait for.
  function pump(): void {
    const now = performance.now();
    if (!stopped(now)) {
      if (interval === 0) {
        queued = Math.min(idle.length, limit - sent);
      } else {
        while (nextRelease <= now && queued < spec.clients && sent + queued < limit) {
          queued += 1;
          nextRelease += interval;
        }
        // Burst 1: time spent blocked on a full queue does not turn into a burst later.
        if (nextRelease < now - interval) nextRelease = now - interval;
      }
    } else {
      queued = 0;
    }
    while (queued > 0 && idle.length > 0) {
      queued -= 1;
      send(idle.pop() as RawConnection);
    }
    if (stopped(now) && queued === 0) {
      if (inFlight === 0) finish?.();
      return;
    }
    if (interval > 0 && timer === undefined && (queued === 0 || idle.length > 0)) {
      timer = setTimeout(() => {
        timer = undefined;
        pump();
      }, Math.max(0, Math.min(nextRelease, deadline) - now));
    }
  }

  const progress = onProgress
    ? setInterval(() => onProgress({ sent, succeeded, errors: failed, elapsedMs: performance.now() - started }), 250)
    : undefined;
  const onAbort = (): void => pump();
  signal?.addEventListener('abort', onAbort);
  return new Promise<GeneratorResult>((resolve) => {
    finish = () => {
      finish = undefined;
      if (timer) clearTimeout(timer);
      if (progress) clearInterval(progress);
      signal?.removeEventListener('abort', onAbort);
      const cpu = process.cpuUsage(cpuBefore);
      const elapsedMs = Math.max(lastReply, started) - started;
      const wallMs = performance.now() - started;
      onProgress?.({ sent, succeeded, errors: failed, elapsedMs });
      const stalls = { ...watch.stop(), slowestSentAtSeconds: slowest.ms < 0 ? null : Math.round(slowest.sentAt - started) / 1000 };
      resolve({ latencies, succeeded, errors, elapsedMs, clientCpuCores: wallMs > 0 ? (cpu.user + cpu.system) / 1000 / wallMs : 0, stalls });
    };
    pump();
  });
}
