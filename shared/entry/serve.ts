// What `serve` runs: the exporter. Every interval it runs the check's collection (one at a time: the next starts an
// interval after the last started, or at once when it ran over), keeps the last report, and answers from it:
//   /metrics  the report and the exporter's own health in Prometheus' text format, rendered once per collection
//   /report   the last report as the HTML page `report` writes (/report.json: check -o json)
//   /healthz  the loop is alive;  /readyz  the last collection reached a member and is recent
// A scrape never waits for a collection and costs one write of a prepared string.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { reportFailure, type CheckReport } from '../analyse/report.ts';
import type { ConnectionOptions } from '../connect/types.ts';
import type { Logger } from '../ports.ts';
import { silentLogger } from '../ports.ts';
import { renderExposition, renderProcessFamilies, type ExporterHealth, type ProcessStats } from '../render/exposition.ts';
import { renderData } from '../render/format.ts';
import { describeError, UsageError, UnreachableError } from '../util/errors.ts';
import { duration, type InputSpec } from '../util/input.ts';
import { collectGarbage } from '../util/gc.ts';
import { sleepUnlessAborted } from '../util/sleep.ts';
import { checkRequest, runCheck, type CheckInput } from './check.ts';
import { reportDocument, reportTitle } from './report.ts';

export const SERVE_DEFAULTS = { interval: '60s', window: '10s', listen: ':9379' } as const;

export const SERVE_INPUTS: ReadonlyArray<InputSpec<'interval' | 'listen'>> = [
  { name: 'listen', value: '[host]:port', default: SERVE_DEFAULTS.listen, help: 'where to serve /metrics, /report, /healthz and /readyz (port 0: any free port)' },
  { name: 'interval', value: 'duration', default: SERVE_DEFAULTS.interval, help: 'run a collection this often (each measures over the window)' },
];

export interface ServeInput extends Pick<CheckInput, 'window' | 'heartbeatInterval' | 'electionTimeout'> {
  interval?: string;
  listen?: string;
}

export interface ServeRequest {
  intervalMs: number;
  host: string;
  port: number;
  check: ReturnType<typeof checkRequest>;
}

/** The request checked: the window must end well inside the interval. */
export function serveRequest(given: ServeInput): ServeRequest {
  const check = checkRequest({ window: given.window ?? SERVE_DEFAULTS.window, heartbeatInterval: given.heartbeatInterval, electionTimeout: given.electionTimeout });
  const intervalMs = duration(given.interval ?? SERVE_DEFAULTS.interval, 'interval', { ok: (ms) => ms >= 1000, says: 'at least 1s' });
  if (check.windowMs >= intervalMs) throw new UsageError(`the window (${check.windowMs / 1000}s) must be shorter than the interval (${intervalMs / 1000}s)`, 'window');
  const listen = given.listen ?? SERVE_DEFAULTS.listen;
  const match = /^(?:\[?([^\]]*?)\]?)?:(\d{1,5})$/.exec(listen);
  const port = Number(match?.[2]);
  if (!match || port > 65535) throw new UsageError(`expected [host]:port such as :9379 or 127.0.0.1:9379, got "${listen}"`, 'listen');
  return { intervalMs, host: match[1] || '0.0.0.0', port, check };
}

export interface Exporter {
  /** http://host:port of the listener. */
  url: string;
  close(): Promise<void>;
}

interface Collected {
  report: CheckReport | null;
  metrics: string;
  html: string | null;
  json: string | null;
}

const startedAt = Date.now() / 1000 - process.uptime();

function processStats(): ProcessStats {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return { residentBytes: memory.rss, cpuSeconds: (cpu.user + cpu.system) / 1e6, startTimeSeconds: startedAt, heapUsedBytes: memory.heapUsed };
}

/** How a whole collection failed, as a cause for etcd_perf_collection_errors_total. */
function causeOf(error: unknown): string {
  if (error instanceof UsageError) return 'usage';
  if (error instanceof UnreachableError) return 'unreachable';
  return 'other';
}

export async function startExporter(
  connect: () => Promise<ConnectionOptions>,
  request: ServeRequest,
  run: { version: string; logger?: Logger; signal?: AbortSignal },
): Promise<Exporter> {
  const logger = run.logger ?? silentLogger;
  const health: ExporterHealth = {
    version: run.version, collections: 0, errorsByCause: {}, lastDurationSeconds: null, lastSuccess: null, lastSuccessTime: null,
    intervalSeconds: request.intervalMs / 1000,
  };
  let current: Collected = { report: null, metrics: renderExposition(null, health), html: null, json: null };
  let lastTick = Date.now();
  const stop = new AbortController();
  run.signal?.addEventListener('abort', () => stop.abort(), { once: true });

  const collect = async (): Promise<void> => {
    const started = Date.now();
    lastTick = started;
    let report: CheckReport | null = null;
    try {
      report = await runCheck(await connect(), request.check, { signal: stop.signal });
      for (const m of report.members) {
        if (m.failure) health.errorsByCause[m.failure.cause] = (health.errorsByCause[m.failure.cause] ?? 0) + 1;
      }
      const failure = reportFailure(report);
      health.lastSuccess = failure === undefined;
      if (failure) logger.warn(`collection: ${failure.message}`);
    } catch (error) {
      if (stop.signal.aborted) return;
      const cause = causeOf(error);
      health.errorsByCause[cause] = (health.errorsByCause[cause] ?? 0) + 1;
      health.lastSuccess = false;
      logger.warn(`collection failed: ${describeError(error)}`);
    }
    health.collections += 1;
    health.lastDurationSeconds = (Date.now() - started) / 1000;
    if (health.lastSuccess) health.lastSuccessTime = Date.now() / 1000;
    current = {
      report,
      metrics: renderExposition(report, health),
      html: report ? reportDocument(report, 'html', { title: reportTitle(report) }) : null,
      json: report ? renderData(report, 'json') : null,
    };
  };

  // Alive while the loop turns: a collection, its window included, ends within the interval plus its deadlines.
  const staleAfterMs = request.intervalMs * 2 + request.check.windowMs + 60_000;
  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'GET only\n');
    const path = (req.url ?? '/').split('?')[0];
    const plain = 'text/plain; charset=utf-8';
    switch (path) {
      case '/metrics': return send(200, 'text/plain; version=0.0.4; charset=utf-8', current.metrics + renderProcessFamilies(processStats()));
      case '/report': return current.html ? send(200, 'text/html; charset=utf-8', current.html) : send(503, plain, 'no collection has ended yet\n');
      case '/report.json': return current.json ? send(200, 'application/json', current.json) : send(503, plain, 'no collection has ended yet\n');
      case '/healthz': return Date.now() - lastTick < staleAfterMs ? send(200, plain, 'ok\n') : send(503, plain, `no collection started for ${Math.round((Date.now() - lastTick) / 1000)}s\n`);
      case '/readyz': {
        const age = health.lastSuccessTime === null ? null : Date.now() / 1000 - health.lastSuccessTime;
        if (age === null) return send(503, plain, health.collections === 0 ? 'the first collection has not ended\n' : 'no collection has reached a member yet\n');
        if (age * 1000 > staleAfterMs) return send(503, plain, `the last collection that reached a member ended ${Math.round(age)}s ago\n`);
        return send(200, plain, 'ok\n');
      }
      case '/': return send(200, 'text/html; charset=utf-8',
        '<!doctype html><title>etcd-perf exporter</title><h1>etcd-perf exporter</h1><ul><li><a href="metrics">metrics</a><li><a href="report">report</a><li><a href="report.json">report.json</a><li><a href="healthz">healthz</a><li><a href="readyz">readyz</a></ul>\n');
      default: return send(404, plain, 'not found: try /metrics, /report, /report.json, /healthz or /readyz\n');
    }
  };
  const server: Server = createServer(answer);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      stop.abort();
      reject(error.code === 'EADDRINUSE' ? new UsageError(`${request.host}:${request.port} is in use`, 'listen')
        : error.code === 'EADDRNOTAVAIL' ? new UsageError(`${request.host} is not an address of this machine`, 'listen') : error);
    });
    server.listen(request.port, request.host, () => resolve());
  });
  // The loop: one collection at a time, started `intervalMs` after the previous one started.
  const loop = (async () => {
    while (!stop.signal.aborted) {
      const started = Date.now();
      await collect();
      // Between collections the process only answers scrapes from prepared strings: return the burst's garbage now.
      collectGarbage();
      const wait = started + request.intervalMs - Date.now();
      await sleepUnlessAborted(wait, stop.signal);
    }
  })();

  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${address.port}`,
    close: async () => {
      stop.abort();
      server.closeAllConnections();
      await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), loop]);
    },
  };
}
