// Captures real etcd logs for the log parser's tests, from Debian's etcd 3.4 in both its log formats: capnslog (3.4's
// default plain text) and zap (--logger=zap, JSON lines as etcd 3.5+ writes by default). Each run puts a 3-member
// cluster on loopback through what the parser looks for: steady writes, the leader frozen (SIGSTOP) a few times so
// elections, lost leaders, late heartbeats and slow syncs happen for real, a follower frozen under writes (the
// leader's sending buffer fills), a large linearizable range (a slow read), compaction and defragmentation.
// Run: node --import tsx scripts/capture-log-fixtures.ts   (writes test/fixtures/logs/; re-running replaces them)

import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { LocalCluster } from '../shared/demo/local-cluster.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function leaderIndex(cluster: LocalCluster): Promise<number> {
  const client = cluster.client();
  try {
    const statuses = await Promise.all(cluster.members.map(async (m) => {
      const one = new (client.constructor as typeof import('etcd3').Etcd3)({ hosts: m.clientUrl });
      try {
        return await one.maintenance.status();
      } finally {
        one.close();
      }
    }));
    return statuses.findIndex((s) => s.header.member_id === s.leader);
  } finally {
    client.close();
  }
}

async function capture(logger: 'capnslog' | 'zap', out: string): Promise<void> {
  const cluster = await LocalCluster.start({ size: 3, extraFlags: logger === 'zap' ? ['--logger=zap'] : [] });
  try {
    const client = cluster.client();
    let writing = true;
    const value = Buffer.alloc(8 * 1024, 'v');
    const writer = (async () => {
      let i = 0;
      while (writing) {
        await Promise.all(Array.from({ length: 50 }, () => client.put(`/fixture/${(i += 1) % 4000}`).value(value).exec().catch(() => undefined)));
      }
    })();
    await sleep(2000);
    for (let freeze = 0; freeze < 3; freeze += 1) {
      const leader = cluster.members[await leaderIndex(cluster)];
      leader?.process?.kill('SIGSTOP');
      await sleep(1500);
      leader?.process?.kill('SIGCONT');
      await cluster.waitHealthy(30_000);
      await sleep(1000);
    }
    const follower = cluster.members[((await leaderIndex(cluster)) + 1) % 3];
    follower?.process?.kill('SIGSTOP');
    await sleep(3000);
    follower?.process?.kill('SIGCONT');
    await cluster.waitHealthy(30_000);
    writing = false;
    await writer;
    // Many versions of large values, then one linearizable read of all of them: a read that takes over 100 ms.
    const big = Buffer.alloc(256 * 1024, 'b');
    for (let round = 0; round < 3; round += 1) {
      await Promise.all(Array.from({ length: 200 }, (_, k) => client.put(`/big/${k}`).value(big).exec()));
    }
    await client.getAll().prefix('/').keys();
    await client.getAll().prefix('/big/').buffers();
    const { header } = await client.kv.range({ key: Buffer.from('/'), limit: '1' });
    await client.kv.compact({ revision: header.revision, physical: true });
    for (const member of cluster.members) {
      execFileSync('etcdctl', ['--endpoints', member.clientUrl, 'defrag'], { stdio: 'ignore' });
    }
    client.close();
    await sleep(500);
    mkdirSync(out, { recursive: true });
    cluster.members.forEach((m, i) => copyFileSync(m.logFile, `${out}/etcd-3.4.23-${logger}-member${i + 1}.log`));
  } finally {
    await cluster.dispose();
  }
}

async function main(): Promise<void> {
  const out = 'test/fixtures/logs';
  await capture('capnslog', out);
  await capture('zap', out);
  const version = execFileSync('etcd', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  writeFileSync(`${out}/README.md`, [
    '# Log fixtures',
    '',
    `Captured by \`node --import tsx scripts/capture-log-fixtures.ts\` from real 3-member clusters on loopback (${version}),`,
    'once with the default capnslog text format and once with `--logger=zap` (JSON lines). Each member\'s own log.',
    'The script freezes the leader three times with SIGSTOP for 1.5 s under writes (elections, lost leaders, late',
    'heartbeats, slow syncs), then a follower for 3 s (the leader\'s sending buffer fills), reads 150 MiB of history in',
    'one linearizable range (a slow read), compacts physically and defragments every member.',
    '',
  ].join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
