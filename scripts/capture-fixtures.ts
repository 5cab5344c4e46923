// Captures the unit-test fixtures from a real etcd (Debian's etcd 3.4): /metrics of one member before and after a burst
// of writes, and etcdctl's view of the same cluster. Run: node --import tsx scripts/capture-fixtures.ts
// The fixtures are committed; re-running replaces them with a fresh capture.

import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { LocalCluster, writeChurn } from '../shared/demo/local-cluster.ts';
import { httpGetText } from '../shared/connect/grpc/http.ts';
import { resolveConnectionOptions } from '../shared/connect/options.ts';

async function main(): Promise<void> {
const out = 'test/fixtures';
const cluster = await LocalCluster.start({ size: 3 });
try {
  const options = resolveConnectionOptions(cluster.connectionFlags(), {});
  const member = cluster.members[0]!;
  await writeChurn(cluster, { keys: 200, rounds: 2 });
  // etcd observes peer round-trip times every 30 s: wait for the first observation so the fixture has them.
  let before = '';
  for (let waited = 0; !before.includes('etcd_network_peer_round_trip_time_seconds_bucket'); waited += 1) {
    if (waited > 60) throw new Error('no peer RTT observation after 60 s');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    before = await httpGetText(member.metricsUrl, options);
  }
  writeFileSync(`${out}/metrics-etcd-3.4.23-before.txt`, before);
  await writeChurn(cluster, { keys: 500, rounds: 4 });
  writeFileSync(`${out}/metrics-etcd-3.4.23-after.txt`, await httpGetText(member.metricsUrl, options));
  const version = execFileSync('etcd', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  writeFileSync(`${out}/README.md`, [
    '# Fixtures',
    '',
    `Captured by \`node --import tsx scripts/capture-fixtures.ts\` from a real 3-member cluster on loopback (${version}).`,
    '',
    '- `metrics-etcd-3.4.23-before.txt`, `metrics-etcd-3.4.23-after.txt`: `/metrics` of member 1, before and after',
    '  2,000 puts of 4 KiB (so the histograms differ by real observations); the first is taken once etcd has observed',
    '  peer round-trip times (every 30 s), so both have them for both peers.',
    '',
  ].join('\n'));
} finally {
  await cluster.dispose();
}
}

void main();
