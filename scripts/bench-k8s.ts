// npm run bench:k8s — `kubectl etcd-perf check --window 0` through the API server of the real kubeadm cluster
// (test/kubeadm) against the seed article's own diagnostics on the same cluster, in the same rounds, alternated:
// its `kubectl exec $(kubectl get pods ... -o jsonpath='{.items[0]...}') -- etcdctl ...` for endpoint status, endpoint
// health and member list, then endpoint status -w json twice (DB size, fragmentation), given the certificate flags it
// forgot (without them every call fails on kubeadm). Five exec calls and the five pod lookups in front of them, with the
// release's kubectl. They read one member (the first pod's, over its loopback); ours reads every member. Medians and
// their ratio (goal <= 1.0x). Whole processes are timed, start-up included.
//   BENCH_RUNS=11 (rounds), ETCD_PERF_KUBEADM=DIR to use a cluster already up (npm run k8s:sandbox -- --dir DIR)

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { KubeadmSandbox } from '../test/harness/kubeadm.ts';
import type { CheckReport } from '../shared/analyse/report.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const CLI = join(__dirname, '../dist/kubectl-etcd_perf.js');
const CERTS = ['--cacert=/etc/kubernetes/pki/etcd/ca.crt', '--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt',
  '--key=/etc/kubernetes/pki/etcd/healthcheck-client.key'];

function timed(command: string, args: string[], env: NodeJS.ProcessEnv): { ms: number; stdout: string } {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && !(command === process.execPath && result.status === 1)) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return { ms, stdout: result.stdout };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function main(): Promise<void> {
  process.stderr.write(`bench:k8s — ${RUNS} rounds, each running the seed's diagnostics and ours in turn, on the kubeadm cluster\n`);
  const cluster = await KubeadmSandbox.start();
  try {
    await cluster.etcdPodsReady();
    const env = { ...process.env, KUBECONFIG: cluster.kubeconfig };
    const kubectl = (...args: string[]) => timed(cluster.kubectl, args, env);
    /** One line of the article: the pod lookup of its $(...), then the exec with that pod's name. */
    const seedLine = (etcdctl: string[]): number => {
      const lookup = kubectl('get', 'pods', '-n', 'kube-system', '-l', 'component=etcd', '-o', 'jsonpath={.items[0].metadata.name}');
      const exec = kubectl('exec', '-n', 'kube-system', lookup.stdout.trim(), '--', 'etcdctl', ...CERTS, ...etcdctl);
      return lookup.ms + exec.ms;
    };
    const seed = (): number => seedLine(['endpoint', 'status', '--write-out=table']) + seedLine(['endpoint', 'health', '--write-out=table'])
      + seedLine(['member', 'list', '--write-out=table']) + seedLine(['endpoint', 'status', '--write-out=json'])
      + seedLine(['endpoint', 'status', '--write-out=json']);
    const ours = (): { ms: number; members: number } => {
      const run = timed(process.execPath, [CLI, 'check', '--window', '0', '-o', 'json'], env);
      const report = JSON.parse(run.stdout) as CheckReport;
      return { ms: run.ms, members: report.members.filter((m) => m.dbSize !== null).length };
    };
    seed();
    ours();
    const seedTimes: number[] = [];
    const ourTimes: number[] = [];
    const membersRead = new Set<number>();
    for (let i = 0; i < RUNS; i += 1) {
      seedTimes.push(seed());
      const run = ours();
      ourTimes.push(run.ms);
      membersRead.add(run.members);
    }
    const [s, o] = [median(seedTimes), median(ourTimes)];
    const ratio = o / s;
    const row = (label: string, value: string): string => `${label.padEnd(62)} ${value}\n`;
    process.stdout.write(row(`seed diagnostics (5 kubectl exec + 5 pod lookups), 1 member, median`, `${s.toFixed(1)} ms`));
    process.stdout.write(row(`etcd-perf check --window 0 through the API server, median`, `${o.toFixed(1)} ms`));
    process.stdout.write(row('members read by ours (every round)', [...membersRead].join(', ')));
    process.stdout.write(row('ratio ours / seed (goal <= 1.0)', `${ratio.toFixed(2)}x ${ratio <= 1 ? 'OK' : 'OVER GOAL'}`));
  } finally {
    await cluster.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:k8s failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
