// `bench load`: check perf's profiles and PASS rule, or etcd benchmark's workloads, with causes from the members'
// metrics; exit 0 on pass, 1 on fail, 130 when interrupted (the keys it wrote deleted).

import {
  connect, CONNECTION_INPUTS, type ConnectionRequest, LOAD_DEFAULTS, LOAD_INPUTS, type LoadInput, oneOf,
  PASS_RULE_TEXT, renderData, renderLoadText, runLoad, WORKLOADS,
} from '../../shared/entry/index.ts';
import { command } from '../command.ts';
import { DATA_FORMATS, type DataFormat, declare, output, values, withOutput } from '../flags.ts';
import { EXIT, interruptible, type Io } from '../io.ts';
import { cliLogger, progressBar, textWidth } from '../output.ts';
import { BENCH } from './bench-disk.ts';

type LoadFlags = { connection: ConnectionRequest; load: LoadInput & { heartbeatInterval?: string }; output: DataFormat };

export const benchLoad = command<LoadFlags>({
  parent: BENCH,
  name: 'load [workload]',
  declare: (c) => withOutput(declare(declare(c, CONNECTION_INPUTS), LOAD_INPUTS), DATA_FORMATS)
    .description("load test: etcdctl check perf's profiles and PASS rule, or etcd benchmark's workloads, with causes from the members' metrics")
    .addHelpText('after', `
The workload is one of ${oneOf(WORKLOADS)} (etcd benchmark's); without it, --profile (default ${LOAD_DEFAULTS.profile}).
Writes real keys into the cluster: run it on a test cluster, or on production only in a quiet hour. It refuses a
prefix that holds keys, and deletes everything under the prefix at the end, also on Ctrl-C.
Requests go over --conns connections, round-robin over the --endpoints as given (like etcdctl check perf).
PASS rule (etcdctl check perf's): ${PASS_RULE_TEXT}.
A FAIL lists what the members' metrics showed during the run (fsync, commit, RTT, CPU).
Examples:
  kubectl etcd-perf bench load --profile m
  kubectl etcd-perf bench load --profile s --duration 10s -o json
  kubectl etcd-perf bench load put --clients 100 --conns 10 --total 100000 --key-size 8 --val-size 256
  kubectl etcd-perf bench load range --consistency s --key-space-size 1000 --total 50000 --clients 50
Exit codes: 0 pass; 1 fail; 2 bad usage (or a prefix with keys); 3 no member reachable; 130 interrupted (keys deleted).`),
  parse: (raw) => ({
    connection: values(raw, CONNECTION_INPUTS),
    load: { ...values(raw, LOAD_INPUTS), workload: raw.args[0] === undefined ? undefined : String(raw.args[0]) },
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
