// Data-safety helpers: HashKV of every member at one revision, a full copy of a prefix, and a steady writer that
// records every failed write and every write's latency (4 put loops through one client over all members).

import { Etcd3 } from 'etcd3';
import type { LocalCluster } from '../../shared/demo/local-cluster.ts';

/** HashKV of each member at `revision`. etcd3 1.1.2's maintenance.hashKV() names a method grpc-js lacks: exec it. */
export async function hashKvAll(cluster: LocalCluster, revision: number): Promise<number[]> {
  return Promise.all(cluster.members.map(async (member) => {
    const client = new Etcd3({ hosts: member.clientUrl });
    try {
      const exec = (client.maintenance as unknown as { client: { exec(s: string, m: string, p: object): Promise<{ hash: number }> } }).client.exec;
      const response = await exec.call((client.maintenance as unknown as { client: object }).client, 'Maintenance', 'HashKV', { revision: String(revision) });
      return response.hash;
    } finally {
      client.close();
    }
  }));
}

export async function copyPrefix(cluster: LocalCluster, prefix: string): Promise<Map<string, string>> {
  const client = cluster.client();
  try {
    const all = await client.getAll().prefix(prefix).strings();
    return new Map(Object.entries(all));
  } finally {
    client.close();
  }
}

export interface WriterReport {
  writes: number;
  failures: string[];
  latenciesMs: number[];
}

export function startWriter(cluster: LocalCluster, loops = 4): { stop(): Promise<WriterReport> } {
  const client = cluster.client();
  let running = true;
  const report: WriterReport = { writes: 0, failures: [], latenciesMs: [] };
  const loop = async (n: number): Promise<void> => {
    for (let i = 0; running; i += 1) {
      const started = performance.now();
      try {
        await client.put(`/writer/${n}/${i % 100}`).value(`v${i}`);
        report.writes += 1;
      } catch (error) {
        report.failures.push((error as Error).message);
      }
      report.latenciesMs.push(performance.now() - started);
    }
  };
  const loops_ = Array.from({ length: loops }, (_, n) => loop(n));
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops_);
      client.close();
      return report;
    },
  };
}
