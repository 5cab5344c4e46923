// `serve`: the exporter. Runs the check's collection every interval and serves its verdict and findings as
// Prometheus metrics (/metrics), the last report (/report, /report.json), /healthz and /readyz, until SIGTERM or
// Ctrl-C. Its log (stderr, one timestamped line per event) is what a pod's log shows.

import {
  CHECK_INPUTS, connect, CONNECTION_INPUTS, type ConnectionRequest, type Logger, SERVE_INPUTS, serveRequest, type ServeInput,
  type ServeRequest, startExporter,
} from '../../shared/entry/index.ts';
import { command } from '../command.ts';
import { declare, say, values } from '../flags.ts';
import { EXIT, interruptible, type Io } from '../io.ts';
import { VERSION } from '../version.ts';

const MEASURE_INPUTS = CHECK_INPUTS.filter((i) => i.name === 'window' || i.name === 'heartbeatInterval' || i.name === 'electionTimeout');

type ServeFlags = { connection: ConnectionRequest; serve: ServeRequest };

function serverLogger(io: Io): Logger {
  const line = (level: string, message: string): void => io.stderr(`${new Date().toISOString()} ${level} ${say(message)}\n`);
  return { info: (message) => line('info', message), warn: (message) => line('warn', message) };
}

export const serve = command<ServeFlags>({
  name: 'serve',
  declare: (c) => declare(declare(declare(c, CONNECTION_INPUTS), MEASURE_INPUTS), SERVE_INPUTS)
    .description('the exporter: run the check every interval and serve its verdict, findings and figures as Prometheus metrics')
    .addHelpText('after', `
Serves /metrics (Prometheus text format; etcd_perf_* series, one per finding), /report (the last report as HTML),
/report.json (as check -o json), /healthz (the loop turns) and /readyz (the last collection reached a member).
A scrape answers from the last collection; it never waits for one. SIGTERM or Ctrl-C stops it.
Exit codes: 0 stopped; 2 bad usage (or the address is in use); 3 no member reachable at start.
Examples:
  kubectl etcd-perf serve --endpoints https://127.0.0.1:2379 --cacert /etc/kubernetes/pki/etcd/ca.crt \\
    --cert /etc/kubernetes/pki/etcd/healthcheck-client.crt --key /etc/kubernetes/pki/etcd/healthcheck-client.key
  kubectl etcd-perf serve --context prod --listen 127.0.0.1:9379 --interval 2m`),
  parse: (raw) => ({ connection: values(raw, CONNECTION_INPUTS), serve: serveRequest(values<ServeInput>(raw, [...MEASURE_INPUTS, ...SERVE_INPUTS])) }),
  async run(flags, io: Io) {
    const logger = serverLogger(io);
    // Connected once here so a bad flag or file fails now, in one line; each collection connects again (rotated
    // certificates, recreated pods).
    await connect(flags.connection, io.env, logger);
    await interruptible(io, undefined, async (signal) => {
      const exporter = await startExporter(() => connect(flags.connection, io.env), flags.serve, { version: VERSION, logger, signal });
      logger.info(`serving ${exporter.url}/metrics: a collection every ${flags.serve.intervalMs / 1000}s over a ${flags.serve.check.windowMs / 1000}s window`);
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      logger.info('stopping');
      await exporter.close();
    });
    return EXIT.ok;
  },
});
