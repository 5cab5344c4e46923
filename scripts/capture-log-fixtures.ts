// Captures a real etcd log for the log parser's tests: a 3-member cluster on loopback of the etcd on PATH, logging in
// one of the formats that version writes, driven through every sign the parser looks for, as seen by member 1:
//   1. steady writes; another member leads and is frozen (SIGSTOP) 2.5 s: member 1 loses its leader and sees the
//      next one elected, while (zap formats, unless --no-burst) 250 linearizable reads wait at member 1 and then
//      finish at once, a burst of slow requests past zap's sampling (the first 100 of a message each second, then
//      every 100th);
//   2. member 1 made leader (move-leader) and frozen 2.5 s, until it has logged a slow WAL sync (at least twice,
//      at most MAX_FREEZES times; a compaction whenever the file passes a third of the quota): late heartbeats,
//      elections, slow syncs;
//   3. 50 MiB of large values written; member 1 defragmented while reads wait for it (a defragmentation holds a
//      member's reads: slow requests), until one was logged slow;
//   4. a physical compaction and a defragmentation of every member;
//   5. member 1 leading, member 3 replaced by a slow peer (each raft message answered after 2 s: an overloaded
//      network): member 1's pipeline to it backs up until its sending buffer is full; then member 3 back;
//   6. 1 MiB values rewritten until the 256 MiB --quota-backend-bytes raises NOSPACE; member 1's /health asked;
//   7. the recovery as users first try it, then as documented: compaction and defragmentation of every member,
//      five writes (still refused: the alarm stands), alarm disarm, one write.
// Member 1's log becomes test/fixtures/logs/etcd-<version>-<format>.log, lines as etcd wrote them: every line with
// a sign's words, and of the rest (startup, raft chatter, zap's traces, "request stats": hundreds under a freeze)
// the first NOISE_KEPT of each message, so the fixture stays small. --no-burst leaves step 1's reads out (the burst
// is the bulk of a fixture; one version per format shows zap's sampling).
// `embedded` instead builds and runs test/fixtures/logs/embedded-etcd (etcd as a library, logging through zap's
// production logger: numeric ts, float-second durations) into etcd-<version>-embedded.log; it needs Go.
// Run (the etcd on PATH decides the version; test/fixtures/logs/README.md has the command of each fixture):
//   ETCD_VERSION=3.6.16 bash scripts/with-etcd.sh node --import tsx scripts/capture-log-fixtures.ts zap|console [--no-burst]
//   node --import tsx scripts/capture-log-fixtures.ts capnslog|zap [--no-burst]    (Debian's etcd 3.4.23 in /usr/bin)
//   node --import tsx scripts/capture-log-fixtures.ts embedded 3.6.16

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { Etcd3 } from 'etcd3';
import { summariseEtcdLog, type LogEventKind } from '../shared/collect/etcd-log.ts';
import { LocalCluster, type LocalMember } from '../shared/demo/local-cluster.ts';
import { freePorts } from '../shared/demo/ports.ts';

type Format = 'capnslog' | 'zap' | 'console';

const OUT = 'test/fixtures/logs';
const SIGNS: LogEventKind[] = ['slow-apply', 'slow-fdatasync', 'heartbeat-late', 'leader-elected', 'leader-lost', 'sending-buffer-full', 'nospace', 'compaction', 'defrag'];
const NOISE_KEPT = 5;
const QUOTA_BYTES = 256 * 1024 * 1024;
const BURST_READS = 250;
const MAX_FREEZES = 20;
// Longer than the longest randomised election timeout (2 s at the default 1 s): every freeze of a leader elects another.
const FREEZE_MS = 2500;
const SLOW_PEER_MS = 2000;

const execFileAsync = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const say = (message: string): void => { process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`); };

function etcdVersion(): string {
  const first = execFileSync('etcd', ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? '';
  const version = /^etcd Version: (\S+)$/.exec(first)?.[1];
  if (!version) throw new Error(`etcd --version said "${first}"`);
  return version;
}

/** The flags that make this version log in this format (3.4: capnslog by default; 3.5+: zap JSON by default). */
function formatFlags(version: string, format: Format): string[] {
  const v34 = version.startsWith('3.4.');
  if (format === 'capnslog') {
    if (!v34) throw new Error(`etcd ${version} has no capnslog text format (3.4 only)`);
    return [];
  }
  if (format === 'zap') return v34 ? ['--logger=zap'] : [];
  if (v34 || version.startsWith('3.5.')) throw new Error(`etcd ${version} has no --log-format console (3.6+)`);
  return ['--log-format=console'];
}

/** Each member's id in hex, and which one leads (read from the JSON text: the ids are uint64s JSON.parse rounds). */
function raftRoles(cluster: LocalCluster): { ids: string[]; leader: number } {
  const entries = cluster.etcdctl(['endpoint', 'status', '-w', 'json']).split('{"Endpoint":').slice(1);
  const ids: string[] = [];
  let leader = -1;
  for (const entry of entries) {
    const index = cluster.members.findIndex((m) => entry.startsWith(JSON.stringify(m.clientUrl)));
    const id = /"member_id":(\d+)/.exec(entry)?.[1];
    if (index < 0 || !id) throw new Error(`unexpected endpoint status: ${entry}`);
    ids[index] = BigInt(id).toString(16);
    if (/"leader":(\d+)/.exec(entry)?.[1] === id) leader = index;
  }
  if (leader < 0) throw new Error('no leader');
  return { ids, leader };
}

async function makeLeader(cluster: LocalCluster, index: number): Promise<void> {
  const { ids, leader } = raftRoles(cluster);
  if (leader === index) return;
  cluster.etcdctl(['move-leader', ids[index] as string], [(cluster.members[leader] as LocalMember).clientUrl]);
  await cluster.waitHealthy(30_000);
}

const logged = (member: LocalMember, pattern: RegExp): boolean => pattern.test(readFileSync(member.logFile, 'utf8'));

/** A client of these members only (a request to a frozen member waits for it). */
const clientOf = (members: LocalMember[]): Etcd3 => new Etcd3({ hosts: members.map((m) => m.clientUrl), grpcOptions: { 'grpc.max_receive_message_length': 256 * 1024 * 1024 } });

/**
 * Puts `inFlight` values of `bytes` at a time to /fixture/<n> (n under `keys`) until stopped. A failed put waits a
 * little: puts that fail at once would otherwise loop on promises alone and starve the timers the stages wait on.
 */
function writer(client: Etcd3, bytes: number, inFlight: number, keys: number): { stop: () => Promise<void> } {
  const value = Buffer.alloc(bytes, 'v');
  let writing = true;
  let i = 0;
  const done = (async () => {
    while (writing) {
      await Promise.all(Array.from({ length: inFlight }, () => client.put(`/fixture/${(i += 1) % keys}`).value(value).exec().catch(() => sleep(50))));
    }
  })();
  return { stop: async () => { writing = false; await done; } };
}

/** True when the write was refused for want of space, false when it was done; any other failure is thrown. */
async function refused(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return false;
  } catch (error) {
    if (/database space exceeded|no space/.test(String(error))) return true;
    throw error;
  }
}

async function freeze(cluster: LocalCluster, member: LocalMember, ms: number, meanwhile?: Promise<unknown>): Promise<void> {
  member.process?.kill('SIGSTOP');
  await sleep(ms);
  member.process?.kill('SIGCONT');
  await meanwhile;
  await cluster.waitHealthy(30_000);
  await sleep(1000);
}

/** The largest member's database file, in bytes. */
const dbSize = (cluster: LocalCluster): number => Math.max(...[...cluster.etcdctl(['endpoint', 'status', '-w', 'json']).matchAll(/"dbSize":(\d+)/g)].map((m) => Number(m[1])));

/** A physical compaction to the current revision, on a client of its own. */
async function compact(cluster: LocalCluster): Promise<void> {
  await withClient(cluster.members, async (client) => {
    const { header } = await client.kv.range({ key: Buffer.from('/'), limit: '1' });
    // A retried compaction (its answer lost to a leader change) finds its revision compacted already: done.
    await client.kv.compact({ revision: header.revision, physical: true }).catch((error: unknown) => {
      if (!/required revision has been compacted/.test(String(error))) throw error;
    });
  });
}

async function compactAndDefragment(cluster: LocalCluster): Promise<void> {
  await compact(cluster);
  for (const member of cluster.members) cluster.etcdctl(['defrag'], [member.clientUrl]);
}

/**
 * Replaces a member by a slow peer until `until`: an HTTP listener on its peer address that answers each raft message
 * posted to it after SLOW_PEER_MS (an overloaded network or peer) and nothing else. The leader's pipeline to it,
 * four messages at a time, backs up until its sending buffer is full, while the peer still counts as active.
 */
async function slowPeer(cluster: LocalCluster, index: number, until: () => boolean): Promise<void> {
  const member = cluster.members[index] as LocalMember;
  const exited = new Promise((resolve) => member.process?.once('exit', resolve));
  cluster.kill(index);
  await exited;
  const sockets: Socket[] = [];
  const peer = createServer((request, response) => {
    request.resume();
    if (request.method === 'POST' && request.url === '/raft') setTimeout(() => response.writeHead(204).end(), SLOW_PEER_MS);
  });
  peer.on('connection', (socket) => { sockets.push(socket); });
  const url = new URL(member.peerUrl);
  await new Promise<void>((resolve) => peer.listen(Number(url.port), url.hostname, resolve));
  try {
    for (let waited = 0; !until(); waited += 500) {
      if (waited > 60_000) throw new Error('no full sending buffer logged in 60 s');
      await sleep(500);
    }
    await sleep(1000);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => peer.close(resolve));
  }
  await cluster.restart(index);
}

/**
 * Runs `use` with a client of these members, closed after. A client whose requests failed (a frozen member, NOSPACE)
 * turns the next ones away itself for a while (its circuit breaker): each stage has a client of its own.
 */
async function withClient<T>(members: LocalMember[], use: (client: Etcd3) => Promise<T>): Promise<T> {
  const client = clientOf(members);
  try {
    return await use(client);
  } finally {
    client.close();
  }
}

async function scenario(cluster: LocalCluster, format: Format, burst: boolean): Promise<void> {
  const [one, two, three] = cluster.members as [LocalMember, LocalMember, LocalMember];
  const all = cluster.members;
  const writing = clientOf(all);
  const writes = writer(writing, 8 * 1024, 50, 4000);
  try {
    await sleep(2000);
    await makeLeader(cluster, 1);
    say('member 2 leads: freezing it, reads waiting at member 1');
    await withClient([one], async (atOne) => {
      const reads = burst && format !== 'capnslog' ? Array.from({ length: BURST_READS }, () => atOne.get('/fixture/1').string().catch(() => undefined)) : [];
      await freeze(cluster, two, FREEZE_MS, Promise.all(reads));
    });
    for (let freezes = 0; freezes < 2 || !logged(one, /slow fdatasync|sync duration of/) || !logged(one, /failed to send out heartbeat on time/); freezes += 1) {
      if (freezes === MAX_FREEZES) throw new Error(`no slow fdatasync and late heartbeat after ${MAX_FREEZES} freezes of the leader`);
      await makeLeader(cluster, 0);
      say(`member 1 leads: freezing it (${freezes + 1})`);
      await freeze(cluster, one, FREEZE_MS);
      // History compacted away now and then, so the file stays under the quota until step 6 wants it full.
      if (dbSize(cluster) > QUOTA_BYTES / 3) await compact(cluster);
    }
  } finally {
    await writes.stop();
    writing.close();
  }

  say('reads waiting for member 1\'s defragmentation, then compaction and defragmentation');
  const big = Buffer.alloc(256 * 1024, 'b');
  await withClient(all, (client) => Promise.all(Array.from({ length: 200 }, (_, k) => client.put(`/big/${k}`).value(big).exec())));
  // A defragmentation holds the member's reads until it is done: reads sent meanwhile are slow requests.
  const slowRead = (): boolean => logged(one, /took too long.*key:\\"\/stalled\\"|key:\\"\/stalled\\".*took too long/);
  for (let rounds = 0; !slowRead(); rounds += 1) {
    if (rounds === 5) throw new Error('no read slowed by a defragmentation in 5 rounds');
    await withClient([one], async (atOne) => {
      const defrag = execFileAsync('etcdctl', [`--endpoints=${one.clientUrl}`, 'defrag'], { env: { ...process.env, ETCDCTL_API: '3' } });
      await Promise.all(Array.from({ length: 20 }, async (_, i) => {
        await sleep(20 * i);
        await atOne.get('/stalled').string();
      }));
      await defrag;
    });
  }
  await compactAndDefragment(cluster);

  await makeLeader(cluster, 0);
  say('member 1 leads: member 3 slow');
  await slowPeer(cluster, 2, () => logged(one, /sending buffer is full/));
  await cluster.waitHealthy(30_000, [three]);

  say('writing until NOSPACE, then the recovery');
  const huge = Buffer.alloc(1024 * 1024, 'q');
  await withClient(all, async (client) => {
    for (let i = 0; !(await refused(client.put(`/quota/${i % 20}`).value(huge).exec())); i += 1) {
      if (i > 2000) throw new Error('no NOSPACE after 2000 writes of 1 MiB');
    }
  });
  await fetch(`${one.clientUrl}/health`);
  await compactAndDefragment(cluster);
  // Defragmented but not disarmed: writes pass the size check and are refused where they are applied.
  const write = (key: string): Promise<boolean> => withClient(all, (client) => refused(client.put(key).value('x').exec()));
  for (let i = 0; i < 5; i += 1) {
    if (!(await write('/quota/refused'))) throw new Error('a write was accepted under NOSPACE');
  }
  cluster.etcdctl(['alarm', 'disarm']);
  if (await write('/quota/after-recovery')) throw new Error('a write was refused after the alarm was disarmed');
}

/** The words of every sign the parser looks for, in any version's wording: a line with one is always kept. */
const SIGN_WORDS = /took too long|fdatasync|sync duration|heartbeat|leader|sending buffer|NOSPACE|no space|space exceeded|alarm|compaction|defragment/i;

/** A line's message with its ids and numbers masked: zap's msg, a console line's message, or the whole text line. */
function shape(line: string): string {
  const message = /"msg":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? (/^\S+\t\w+\t/.test(line) ? line.split('\t').slice(2, -1).join('\t') : line);
  return message.replace(/\d{4}-\d\d-\d\d[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?/g, 'T').replace(/\b[0-9a-f]{16}\b/g, 'X').replace(/\d+(?:\.\d+)?/g, 'N');
}

/**
 * The log as kept: every line with a sign's words, and of the others (startup, raft's and rafthttp's chatter, zap's
 * traces, "request stats") the first NOISE_KEPT of each message (its ids and numbers masked).
 */
function kept(text: string): string {
  const seen = new Map<string, number>();
  return text.split('\n').filter((line) => {
    if (SIGN_WORDS.test(line)) return true;
    const n = (seen.get(shape(line)) ?? 0) + 1;
    seen.set(shape(line), n);
    return n <= NOISE_KEPT;
  }).join('\n');
}

async function capture(format: Format, burst: boolean): Promise<void> {
  const version = etcdVersion();
  const cluster = await LocalCluster.start({ size: 3, extraFlags: formatFlags(version, format), quotaBackendBytes: QUOTA_BYTES });
  try {
    await scenario(cluster, format, burst);
    await sleep(500);
    const log = kept(readFileSync((cluster.members[0] as LocalMember).logFile, 'utf8'));
    // A capture that missed a sign (a freeze that caught no election, say) is run again, not kept.
    const { events } = summariseEtcdLog(log);
    const missing = SIGNS.filter((kind) => !events[kind]);
    if (missing.length) throw new Error(`member 1 logged no ${missing.join(', ')}`);
    if (burst && format !== 'capnslog' && !events['slow-apply']?.lowerBound) throw new Error('the burst of slow reads did not reach zap\'s sampling');
    const name = `${OUT}/etcd-${version}-${format}.log`;
    writeFileSync(name, log);
    say(`wrote ${name}`);
  } finally {
    await cluster.dispose();
  }
}

/**
 * An etcd embedded in a program whose logger is zap's production logger (test/fixtures/logs/embedded-etcd/main.go):
 * built against etcd's Go modules of `version` in a throwaway module in the cache (outside the repo), run on loopback.
 */
async function captureEmbedded(version: string): Promise<void> {
  const module = join(process.env.ETCD_PERF_CACHE ?? join(homedir(), '.cache/etcd-perf'), 'embedded-etcd', `v${version}`);
  mkdirSync(module, { recursive: true });
  copyFileSync(`${OUT}/embedded-etcd/main.go`, join(module, 'main.go'));
  const requires = ['api', 'client', 'server'].map((m) => `\tgo.etcd.io/etcd/${m}/v3 v${version}\n`).join('');
  writeFileSync(join(module, 'go.mod'), `module etcd-perf.local/embedded-etcd\n\ngo 1.25\n\nrequire (\n${requires}\tgo.uber.org/zap v1.27.0\n)\n`);
  const env = { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local', PATH: `${process.env.PATH}:/usr/local/go/bin:/usr/lib/go/bin` };
  say(`building the embedded etcd against etcd ${version}'s modules in ${module}`);
  execFileSync('go', ['mod', 'tidy'], { cwd: module, env, stdio: ['ignore', 2, 2] });
  execFileSync('go', ['build', '-o', 'embedded-etcd', '.'], { cwd: module, env, stdio: ['ignore', 2, 2] });
  const dir = mkdtempSync(join(tmpdir(), 'etcd-perf-embedded-'));
  try {
    const [client, peer] = await freePorts(2);
    const run = spawnSync(join(module, 'embedded-etcd'), [join(dir, 'data'), `http://127.0.0.1:${client}`, `http://127.0.0.1:${peer}`], { encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0) throw new Error(`the embedded etcd failed (${run.status ?? run.signal}): ${run.stderr.slice(-2000)}`);
    const { events } = summariseEtcdLog(run.stderr);
    const missing = (['leader-elected', 'nospace', 'compaction', 'defrag', 'slow-apply'] as const).filter((kind) => !events[kind]);
    if (missing.length) throw new Error(`the embedded etcd logged no ${missing.join(', ')}`);
    const name = `${OUT}/etcd-${version}-embedded.log`;
    writeFileSync(name, run.stderr);
    say(`wrote ${name}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [format, option] = process.argv.slice(2);
if (!(format === 'embedded' || ((format === 'capnslog' || format === 'zap' || format === 'console') && (option === undefined || option === '--no-burst')))) {
  process.stderr.write('usage: capture-log-fixtures.ts capnslog|zap|console [--no-burst], or embedded [etcd version, 3.6+]\n');
  process.exit(2);
}
(format === 'embedded' ? captureEmbedded(option ?? '3.6.16') : capture(format, option !== '--no-burst')).catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
