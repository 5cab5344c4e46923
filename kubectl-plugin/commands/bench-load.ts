// `bench load`: check perf's profiles and PASS rule, or etcd benchmark's workloads, with causes from the members'
// metrics; exit 0 on pass, 1 on fail, 130 when interrupted (the keys it wrote deleted).

import { connect, type ConnectionRequest } from '../../shared/entry/connect.ts';
import { LOAD_DEFAULTS, runLoad, WORKLOADS, type LoadInput } from '../../shared/entry/bench.ts';
import { CHECK_DEFAULTS } from '../../shared/entry/check.ts';
import { renderLoadText } from '../../shared/render/bench-text.ts';
import { renderData } from '../../shared/render/format.ts';
import { oneOf } from '../../shared/util/input.ts';
import { command } from '../command.ts';
import { connectionRequest, DATA_FORMATS, output, text, withConnectionFlags, withOutput } from '../flags.ts';
import { interruptible } from '../interrupt.ts';
import { EXIT, type Io } from '../io.ts';
import { cliLogger, progressBar, textWidth } from '../output.ts';
import { BENCH } from './bench-disk.ts';

interface LoadFlags {
  connection: ConnectionRequest;
  load: LoadInput & { heartbeatInterval?: string };
  output: (typeof DATA_FORMATS)[number];
}

const KEYS = ['profile', 'duration', 'total', 'clients', 'conns', 'rate', 'keySize', 'valSize', 'keySpaceSize', 'consistency', 'txnOps', 'prefix', 'heartbeatInterval'] as const;

export const benchLoad = command<LoadFlags>({
  parent: BENCH,
  name: 'load [workload]',
  declare: (c) => withOutput(withConnectionFlags(c), DATA_FORMATS)
    .description("load test: etcdctl check perf's profiles and PASS rule, or etcd benchmark's workloads, with causes from the members' metrics")
    .option('--profile <name>', 'check perf load: s (150 writes/s, 50 clients), m (1000, 200), l (8000, 500), xl (15000, 1000); 60 s each')
    .option('--duration <duration>', 'run this long (shortens a profile)')
    .option('--total <n>', 'stop after this many requests (workloads default to 10000 without --duration)')
    .option('--clients <n>', 'concurrent requests (workloads: 1)')
    .option('--conns <n>', 'gRPC connections, spread over the endpoints (profiles: one per 50 clients, at least one per endpoint; workloads: 1)')
    .option('--rate <n>', 'requests per second, 0 = as fast as possible (workloads: 0)')
    .option('--key-size <bytes>', 'bytes of key after the prefix (profiles 256, workloads 8)')
    .option('--val-size <bytes>', 'bytes of value (profiles 1024, workloads 8)')
    .option('--key-space-size <n>', 'distinct keys written or read (profiles: random 53-bit, workloads: 1)')
    .option('--consistency <l|s>', 'range: linearizable (l) or serializable (s) reads', LOAD_DEFAULTS.consistency)
    .option('--txn-ops <n>', 'txn-put: puts per transaction', LOAD_DEFAULTS.txnOps)
    .option('--prefix <key>', 'where the load writes: must be empty; everything under it is deleted at the end', LOAD_DEFAULTS.prefix)
    .option('--heartbeat-interval <duration>', "the cluster's --heartbeat-interval, to judge peer RTT among the causes", CHECK_DEFAULTS.heartbeatInterval)
    .addHelpText('after', `
The workload is one of ${oneOf(WORKLOADS)} (etcd benchmark's); without it, --profile (default ${LOAD_DEFAULTS.profile}).
Writes real keys into the cluster: run it on a test cluster, or on production only in a quiet hour. It refuses a
prefix that holds keys, and deletes everything under the prefix at the end, also on Ctrl-C.
Requests go over --conns connections, round-robin over the --endpoints as given (like etcdctl check perf).
PASS rule (etcdctl check perf's): no errors; throughput above 90% of the target rate; slowest request <= 0.5 s;
standard deviation <= 0.1 s. A FAIL lists what the members' metrics showed during the run (fsync, commit, RTT, CPU).
Examples:
  kubectl etcd-perf bench load --profile m
  kubectl etcd-perf bench load --profile s --duration 10s -o json
  kubectl etcd-perf bench load put --clients 100 --conns 10 --total 100000 --key-size 8 --val-size 256
  kubectl etcd-perf bench load range --consistency s --key-space-size 1000 --total 50000 --clients 50
Exit codes: 0 pass; 1 fail; 2 bad usage (or a prefix with keys); 3 no member reachable; 130 interrupted (keys deleted).`),
  parse: (raw) => ({
    connection: connectionRequest(raw),
    load: { workload: raw.args[0] === undefined ? undefined : String(raw.args[0]), ...Object.fromEntries(KEYS.map((k) => [k, text(raw, k)])) },
    output: output(raw, DATA_FORMATS),
  }),
  async run(flags, io: Io) {
    const connection = await connect(flags.connection, io.env, cliLogger(io));
    const bar = progressBar(io, flags.load.workload ?? `profile ${flags.load.profile ?? LOAD_DEFAULTS.profile}`);
    const result = await interruptible(io, 'stopping the load and cleaning up (Ctrl-C again to leave now, leaving keys behind)', (signal) => runLoad(connection, flags.load, {
      signal, logger: cliLogger(io),
      onProgress: (p) => bar.update(p.fraction, `${p.succeeded} ok, ${p.errors} errors, ${p.elapsedMs > 0 ? Math.round(p.succeeded / (p.elapsedMs / 1000)) : 0}/s`),
    }).finally(() => bar.stop()));
    io.stdout(flags.output === 'table' ? renderLoadText(result, textWidth(io, 100)) : renderData(result, flags.output));
    return result.partial ? EXIT.interrupted : result.pass ? EXIT.ok : EXIT.findings;
  },
});
