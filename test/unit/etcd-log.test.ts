// The log parser on real etcd logs (test/fixtures/logs, see its README for how each was made): 3.4.23's capnslog
// text and zap JSON, 3.5.35's, 3.6.16's and 3.7.3's zap JSON, 3.6+'s zap console and an etcd embedded with zap's
// production logger, each sign counted as the fixture's own lines say; the same logs behind every wrapper users find
// them in; lines users posted in public threads; and lines that must not stop a run.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { durationFieldMs, goDurationMs, parseEtcdLog, parseLogSource, summariseEtcdLog, type LogEventKind } from '../../shared/collect/etcd-log.ts';
import { CAPTURED, EMBEDDED, FIRST, KINDS, SAMPLED, WORDED, worded } from './etcd-log-words.ts';

const fixture = (name: string): string => readFileSync(join(__dirname, '../fixtures/logs', name), 'utf8');

test('durations: Go strings, float seconds, whole nanoseconds', () => {
  assert.equal(goDurationMs('1.503245841s'), 1503.245841);
  assert.equal(goDurationMs('177.836392ms'), 177.836392);
  assert.equal(goDurationMs('84.5µs'), 0.0845);
  assert.equal(goDurationMs('1m2.5s'), 62_500);
  assert.equal(goDurationMs('fast'), undefined);
  assert.equal(goDurationMs('1.5s later'), undefined);
  assert.equal(durationFieldMs('2.5s'), 2500);
  assert.equal(durationFieldMs(0.1027), 102.7);
  assert.equal(durationFieldMs(1_503_245_841), 1503.245841);
  assert.equal(durationFieldMs('1.2'), undefined);
  assert.equal(durationFieldMs({ s: 1 }), undefined);
  assert.equal(durationFieldMs(-1), undefined);
});

test('every fixture: each sign counted as often as its own lines say it, with its time', () => {
  for (const name of [...CAPTURED, EMBEDDED, ...FIRST]) {
    const text = fixture(name);
    const { events, lines, etcdLines } = parseEtcdLog(text);
    assert.equal(lines, text.split('\n').filter((l) => l.trim()).length, name);
    assert.equal(etcdLines, lines - text.split('\n').filter((l) => l.trim() && !/^(?:\{|\d{4}-\d\d-\d\d[ T]|raft\d{4}\/)/.test(l)).length, `${name}: every line etcd wrote is read as etcd's`);
    for (const kind of KINDS) {
      const counted = events.filter((e) => e.kind === kind).reduce((n, e) => n + (e.count ?? 1), 0);
      assert.equal(counted, worded(text, kind), `${name}: ${kind}`);
      if (CAPTURED.includes(name)) assert.ok(counted > 0, `${name}: the capture has ${kind}`);
    }
    assert.ok(events.every((e) => e.time !== undefined), `${name}: every event has its time`);
  }
});

test('each version\'s words: durations from the took and exceeded-duration fields or from the text', () => {
  const cases: Array<[string, LogEventKind, RegExp, (line: string) => number]> = [
    ['etcd-3.4.23-capnslog.log', 'slow-fdatasync', / wal: sync duration of /, (l) => goDurationMs(/of (\S+),/.exec(l)?.[1]) as number],
    ['etcd-3.4.23-capnslog.log', 'heartbeat-late', /failed to send out heartbeat/, (l) => goDurationMs(/timeout for (\S+),/.exec(l)?.[1]) as number],
    ['etcd-3.4.23-capnslog.log', 'compaction', /finished scheduled compaction/, (l) => goDurationMs(/\(took (\S+)\)/.exec(l)?.[1]) as number],
    ...['etcd-3.5.35-zap.log', 'etcd-3.6.16-zap.log', 'etcd-3.7.3-zap.log'].flatMap((name): Array<[string, LogEventKind, RegExp, (line: string) => number]> => [
      [name, 'slow-fdatasync', /"msg":"slow fdatasync"/, (l) => goDurationMs(JSON.parse(l).took) as number],
      [name, 'heartbeat-late', /"msg":"leader failed to send out heartbeat/, (l) => goDurationMs(JSON.parse(l)['exceeded-duration']) as number],
      [name, 'defrag', /"msg":"finished defragmenting directory"/, (l) => goDurationMs(JSON.parse(l).took) as number],
      [name, 'slow-apply', /"msg":"apply request took too long"/, (l) => goDurationMs(JSON.parse(l).took) as number],
    ]),
    ...['etcd-3.6.16-console.log', 'etcd-3.7.3-console.log'].flatMap((name): Array<[string, LogEventKind, RegExp, (line: string) => number]> => [
      [name, 'slow-fdatasync', /\tslow fdatasync\t/, (l) => goDurationMs(JSON.parse(l.split('\t').pop() as string).took) as number],
      [name, 'defrag', /\tfinished defragmenting directory\t/, (l) => goDurationMs(JSON.parse(l.split('\t').pop() as string).took) as number],
    ]),
  ];
  for (const [name, kind, pattern, duration] of cases) {
    const text = fixture(name);
    const worst = Math.max(...text.split('\n').filter((l) => pattern.test(l)).map(duration));
    assert.equal(summariseEtcdLog(text).events[kind]?.worstMs, Math.round(worst * 1000) / 1000, `${name}: ${kind}`);
  }
  // 3.4's text says no duration for a defragmentation: from its start line to its end line.
  const text = fixture('etcd-3.4.23-capnslog.log').split('\n');
  const at = (pattern: RegExp): number[] => text.filter((l) => pattern.test(l)).map((l) => Date.parse(`${l.slice(0, 10)}T${l.slice(11, 26)}Z`));
  const spans = at(/finished defragmenting the storage backend/).map((end, i) => end - (at(/starting to defragment the storage backend/)[i] as number));
  assert.equal(summariseEtcdLog(fixture('etcd-3.4.23-capnslog.log')).events.defrag?.worstMs, Math.max(...spans));
});

test('zap sampling: a burst past 100 of a message in a second makes its count a lower bound; other counts stay exact', () => {
  for (const name of [...CAPTURED, EMBEDDED, ...FIRST]) {
    const text = fixture(name);
    const summary = summariseEtcdLog(text);
    // The busiest second of slow requests, by the lines' own times.
    const perSecond = new Map<string, number>();
    for (const l of text.split('\n').filter((line) => WORDED['slow-apply'].test(line))) {
      const second = /\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d|"ts":\d+/.exec(l)?.[0] as string;
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    const busiest = Math.max(0, ...perSecond.values());
    if (!SAMPLED.includes(name)) {
      assert.ok(busiest < 100, `${name}: ${busiest} slow requests in a second, no burst`);
      assert.deepEqual(KINDS.filter((kind) => summary.events[kind]?.lowerBound), [], name);
      continue;
    }
    // Capture step 1: linearizable reads that waited for an election and finished together.
    assert.ok(busiest >= 100, `${name}: ${busiest} slow requests in its busiest second`);
    assert.deepEqual(KINDS.filter((kind) => summary.events[kind]?.lowerBound), ['slow-apply'], name);
    assert.equal(summary.events['slow-apply']?.count, worded(text, 'slow-apply'), `${name}: at least the lines there are`);
  }
});

test('capnslog\'s merged lines count as often as they say', () => {
  const text = fixture('etcd-3.4.23-capnslog.log');
  const merged = text.split('\n').filter((l) => /sending buffer is full.*\[merged \d+ repeated lines/.test(l));
  assert.ok(merged.length > 0, 'the capture has a merged line');
  const plain = text.split('\n').filter((l) => /sending buffer is full/.test(l)).length - merged.length;
  const inMerged = merged.reduce((n, l) => n + Number(/\[merged (\d+)/.exec(l)?.[1]), 0);
  assert.equal(summariseEtcdLog(text).events['sending-buffer-full']?.count, plain + inMerged);
});

// ---- The same logs as users hold them: each real fixture behind each wrapper reads as the bare file does. ----

/** The time a line says (zap's ts, capnslog's and raft's local time read as UTC): what a runtime would have stamped. */
function stampOf(line: string, fallback: string): string {
  const iso = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/.exec(line)?.[0];
  if (iso) return iso;
  const capnslog = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d+)/.exec(line);
  if (capnslog) return `${capnslog[1]}T${capnslog[2]}Z`;
  const raft = /^raft(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d)/.exec(line);
  return raft ? `${raft[1]}-${raft[2]}-${raft[3]}T${raft[4]}Z` : fallback;
}

/** Splits a line the way a runtime does past its buffer (16 KiB in real life; 100 characters here to split many). */
const parts = (line: string): string[] => line.match(/[^]{1,100}/g) ?? [''];

const WRAPPERS: Record<string, (lines: string[]) => string[]> = {
  // containerd / CRI-O under /var/log/pods: "<RFC 3339 time> stderr F|P <text>".
  cri: (lines) => {
    let last = '2026-01-01T00:00:00Z';
    return lines.flatMap((l) => {
      last = stampOf(l, last);
      const ps = parts(l);
      // The runtime's nanoseconds and zone: "2026-12-01T06:58:13.943000000+00:00".
      const stamp = new Date(Date.parse(last)).toISOString().replace('Z', '000000+00:00');
      return ps.map((p, i) => `${stamp} stderr ${i < ps.length - 1 ? 'P' : 'F'} ${p}`);
    });
  },
  // Docker's json-file: one JSON object per part, the last part of a line ends with "\n".
  docker: (lines) => lines.flatMap((l) => {
    const ps = parts(l);
    return ps.map((p, i) => JSON.stringify({ log: i < ps.length - 1 ? p : `${p}\n`, stream: 'stderr', time: stampOf(l, '2026-01-01T00:00:00Z') }));
  }),
  kubectlTimestamps: (lines) => lines.map((l) => `${stampOf(l, '2026-01-01T00:00:00Z')} ${l}`),
  kubectlPrefix: (lines) => lines.map((l) => `[pod/etcd-cp-1/etcd] ${l}`),
  journald: (lines) => lines.map((l) => `Dec 01 06:58:04 cp-1 etcd[1234]: ${l}`),
  journaldIso: (lines) => lines.map((l) => `${stampOf(l, '2026-01-01T00:00:00Z').replace(/\.\d+Z$/, '+0000').replace(/Z$/, '+0000')} cp-1 etcd[1234]: ${l}`),
  // kubectl logs --timestamps of a file Docker kept: two wrappers.
  kubectlOverJournald: (lines) => lines.map((l) => `${stampOf(l, '2026-01-01T00:00:00Z')} Dec 01 06:58:04 cp-1 k3s[99]: ${l}`),
};

test('every fixture behind every wrapper (CRI and Docker with split lines, kubectl, journald) reads as the bare file', () => {
  for (const name of [...CAPTURED, EMBEDDED, 'etcd-3.4.23-zap-member3.log']) {
    const bare = fixture(name).split('\n').filter((l) => l.trim());
    const expected = summariseEtcdLog(bare.join('\n'));
    for (const [wrapper, wrap] of Object.entries(WRAPPERS)) {
      const wrapped = summariseEtcdLog(wrap(bare).join('\n'));
      // journaldIso stamps whole seconds: capnslog's own times (no zone) give way to a stamp with one.
      if (wrapper === 'journaldIso' && name.includes('capnslog')) {
        assert.deepEqual(Object.fromEntries(Object.entries(wrapped.events).map(([k, e]) => [k, e?.count])), Object.fromEntries(Object.entries(expected.events).map(([k, e]) => [k, e?.count])), `${name} ${wrapper}`);
        continue;
      }
      assert.deepEqual(wrapped, expected, `${name} behind ${wrapper}`);
    }
  }
});

// ---- Lines users posted in public threads (data, quoted as posted). ----

test('lines from public threads: journald, CRI files, other prefixes and zones, each sign found with its duration and time', () => {
  const cases: Array<{ url: string; line: string; kinds: LogEventKind[]; ms?: number; time?: string; format: string }> = [
    {
      // k3s under systemd: journald's prefix (lower-case month: the machine's locale), ts with a +0100 zone.
      url: 'https://github.com/k3s-io/k3s/issues/2938',
      line: 'feb 16 12:45:47 mnode2 k3s[10737]: {"level":"warn","ts":"2021-02-16T12:45:47.948+0100","caller":"etcdserver/util.go:163","msg":"apply request took too long","took":"102.774415ms","expected-duration":"100ms","prefix":"read-only range ","request":"key:\\"/registry/crd.projectcalico.org/felixconfigurations/\\" range_end:\\"/registry/crd.projectcalico.org/felixconfigurations0\\" count_only:true ","response":"range_response_count:0 size:8"}',
      kinds: ['slow-apply'], ms: 102.774415, time: '2021-02-16T11:45:47.948Z', format: 'json',
    },
    {
      // A write refused for want of space, journald-wrapped, ts with a -0700 zone.
      url: 'https://github.com/k3s-io/k3s/issues/4787',
      line: 'Mar 17 17:22:25 antikythera k3s[22301]: {"level":"warn","ts":"2022-03-17T17:22:25.525-0700","caller":"etcdserver/util.go:123","msg":"failed to apply request","took":"1.391µs","request":"header:<ID:16997569712649598729 username:\\"etcd-client\\" auth_revision:1 > txn:<compare:<target:MOD key:\\"/bootstrap/ef5238a9efa0\\" mod_revision:0 > success:<request_put:<key:\\"/bootstrap/ef5238a9efa0\\" value_size:11877 >> failure:<>>","response":"","error":"etcdserver: no space"}',
      kinds: ['nospace'], time: '2022-03-18T00:22:25.525Z', format: 'json',
    },
    {
      // A ReadIndex retry is no slow request.
      url: 'https://github.com/k3s-io/k3s/issues/9204',
      line: 'Jan 10 07:55:33 MULTI-SINGLE-VM k3s[820]: {"level":"warn","ts":"2024-01-10T07:55:33.433522Z","caller":"etcdserver/v3_server.go:897","msg":"waiting for ReadIndex response took too long, retrying","sent-request-id":11249020940439591963,"retry-timeout":"500ms"}',
      kinds: [], format: 'json',
    },
    {
      // The CRI file of a kubeadm static pod: the runtime's stamp in +08:00, etcd's own ts in UTC.
      url: 'https://github.com/etcd-io/etcd/issues/16436',
      line: '2023-08-18T10:47:25.111490788+08:00 stderr F {"level":"warn","ts":"2023-08-18T02:47:25.111Z","caller":"etcdserver/util.go:166","msg":"apply request took too long","took":"627.833521ms","expected-duration":"200ms","prefix":"","request":"header:<ID:11060710893032608226 username:\\"etcd\\" auth_revision:1 > txn:<compare:<target:MOD key:\\"/registry/karmada/configmaps/ccos-slb/slb-service-election-id\\" mod_revision:138086004 > success:<request_put:<key:\\"/registry/karmada/configmaps/ccos-slb/slb-service-election-id\\" value_size:502 >> failure:<>>","response":"size:20"}',
      kinds: ['slow-apply'], ms: 627.833521, time: '2023-08-18T02:47:25.111Z', format: 'json',
    },
    {
      url: 'https://github.com/etcd-io/etcd/issues/16436',
      line: '2023-08-18T18:38:58.167282393+08:00 stderr F {"level":"warn","ts":"2023-08-18T10:38:58.167Z","caller":"rafthttp/peer.go:267","msg":"dropped internal Raft message since sending buffer is full (overloaded network)","message-type":"MsgHeartbeat","local-member-id":"6f4280d874315789","from":"6f4280d874315789","remote-peer-id":"63f111c239cc91f8","remote-peer-name":"pipeline","remote-peer-active":false}',
      kinds: ['sending-buffer-full'], time: '2023-08-18T10:38:58.167Z', format: 'json',
    },
    {
      // A log viewer's own stamp and the bare message.
      url: 'https://github.com/etcd-io/etcd/issues/19635',
      line: '2025-03-18T12:21:38.350+01:00 dropped internal Raft message since sending buffer is full (overloaded network)',
      kinds: ['sending-buffer-full'], time: '2025-03-18T11:21:38.350Z', format: 'unknown',
    },
    {
      // ts with a +0800 zone, no colon.
      url: 'https://github.com/etcd-io/etcd/issues/17855',
      line: '{"level":"warn","ts":"2024-04-22T17:18:03.213763+0800","caller":"etcdserver/util.go:170","msg":"apply request took too long","took":"3.000607371s","expected-duration":"100ms","prefix":"read-only range ","request":"key:\\"/cs/leader\\" range_end:\\"/cs/leades\\" sort_order:ASCEND sort_target:MOD ","response":"","error":"context deadline exceeded"}',
      kinds: ['slow-apply'], ms: 3000.607371, time: '2024-04-22T09:18:03.213Z', format: 'json',
    },
    {
      // talosctl logs etcd: the node's name before each line.
      url: 'https://github.com/siderolabs/talos/issues/5794',
      line: 'talos-cp-1: {"level":"warn","ts":"2022-06-30T08:52:30.057Z","caller":"etcdserver/util.go:166","msg":"apply request took too long","took":"157.562377ms","expected-duration":"100ms","prefix":"","request":"header:<ID:3001791759418383378 username:\\"kube-apiserver\\" auth_revision:1 > txn:<compare:<target:MOD key:\\"/registry/events/kubegres-system/kubegres-controller-manager-75db85776-2crjn.16fd51e63bb7d92e\\" mod_revision:40729844 > success:<request_put:<key:\\"/registry/events/kubegres-system/kubegres-controller-manager-75db85776-2crjn.16fd51e63bb7d92e\\" value_size:637 lease:3001791759418383336 >> failure:<>>","response":"size:20"}',
      kinds: ['slow-apply'], ms: 157.562377, time: '2022-06-30T08:52:30.057Z', format: 'json',
    },
    {
      // etcd 3.2/3.3 under systemd: capnslog text without its time and level, the unit says it is etcd.
      url: 'https://github.com/etcd-io/etcd/issues/8722',
      line: 'Oct 20 10:58:29 node-0 etcd[911]: sync duration of 1.034111027s, expected less than 1s',
      kinds: ['slow-fdatasync'], ms: 1034.111027, format: 'text',
    },
    {
      url: 'https://github.com/etcd-io/etcd/issues/6978',
      line: 'Dec 09 23:19:56 ip-172-30-0-123 etcd[16048]: apply entries took too long [11.438076ms for 1 entries]',
      kinds: ['slow-apply'], ms: 11.438076, format: 'text',
    },
    {
      url: 'https://github.com/etcd-io/etcd/issues/12405',
      line: '2020-10-20 12:15:22.876237 W | etcdserver: read-only range request "key:\\"/registry/storageclasses\\" range_end:\\"/registry/storageclasset\\" count_only:true " with result "range_response_count:0 size:6" took too long (2.285637356s) to execute',
      kinds: ['slow-apply'], ms: 2285.637356, time: '2020-10-20T12:15:22.876Z', format: 'text',
    },
    {
      // Procfile runners (goreman) put their own time and the member's name first.
      url: 'https://github.com/etcd-io/etcd/issues/6530',
      line: '10:53:12 etcd1 | 2016-09-28 10:53:12.454510 W | wal: sync duration of 1.518357ms, expected less than 1s',
      kinds: ['slow-fdatasync'], ms: 1.518357, time: '2016-09-28T10:53:12.454Z', format: 'text',
    },
    {
      // etcd's flags warn with zap's production encoder: ts in float seconds since the epoch.
      url: 'https://github.com/bitnami/bitnami-docker-etcd/pull/21',
      line: '{"level":"warn","ts":1634037928.3629513,"caller":"flags/flag.go:93","msg":"unrecognized environment variable","environment-variable":"ETCD_TEST_PORT_2380_TCP=tcp://10.20.167.3:2380"}',
      kinds: [], format: 'json',
    },
    {
      // A test's zap logger without ts and caller.
      url: 'https://github.com/etcd-io/etcd/issues/17232',
      line: '{"level":"info","msg":"finished scheduled compaction","compact-revision":9911,"took":"66.589971ms","hash":754823375}',
      kinds: ['compaction'], ms: 66.589971, format: 'json',
    },
  ];
  for (const c of cases) {
    const parsed = parseLogSource({ name: c.url, text: `${c.line}\n` });
    assert.deepEqual(parsed.events.map((e) => e.kind), c.kinds, c.url);
    assert.equal(parsed.format, c.format, c.url);
    assert.equal(parsed.recognised, true, c.url);
    if (c.ms !== undefined) assert.equal(parsed.events[0]?.ms, c.ms, c.url);
    if (c.time !== undefined) assert.equal(parsed.events[0]?.time, c.time, c.url);
  }
});

// ---- Lines that must not stop a run. ----

test('odd lines are lines: bad JSON, a non-string msg, numbers where strings go, a huge line, binary junk, a lone part', () => {
  const slow = '{"level":"warn","ts":"2026-11-24T09:10:04.877Z","msg":"slow fdatasync","took":"1.2s","expected-duration":"1s"}';
  const odd = [
    '{"level":"warn","ts":"2026-11-24T09:10:04.877Z","msg":"apply request took too long","took":"1',
    '{"level":"warn","msg":{"text":"apply request took too long"},"took":5}',
    '{"level":"warn","ts":{},"msg":"apply request took too long","took":{"s":1},"expected-duration":[1],"request":42,"error":null}',
    '{"level":"warn","ts":"yesterday","msg":"finished defragmenting directory","took":"forever"}',
    '[1,2,3]',
    'null',
    `{"level":"warn","msg":"apply request took too long","request":"${'x'.repeat(3 * 1024 * 1024)}"}`,
    '\u0000\u0001\u0002\uFFFD\uFFFD PNG \u001b[31m',
    '{"log":42,"stream":"stderr","time":"2026-11-24T09:10:04.877Z"}',
  ];
  const { events, lines } = parseEtcdLog([slow, ...odd, slow].join('\n'));
  assert.equal(lines, odd.length + 2);
  assert.deepEqual(events.filter((e) => e.kind === 'slow-fdatasync').map((e) => e.ms), [1200, 1200], 'the good lines around them still count');
  // The first part of a split line whose rest never came: a line of its own at the end, its words still read.
  const cut = parseEtcdLog(`${slow}\n2026-11-24T09:10:04.877Z stderr P {"level":"warn","ts":"2026-11-24T09:10:04.877Z","msg":"slow fdatasync"`);
  assert.deepEqual([cut.lines, cut.events.map((e) => e.ms)], [2, [1200, undefined]]);
  assert.deepEqual(events.find((e) => e.kind === 'defrag'), { kind: 'defrag' }, 'a sign with a time and duration that are none: counted, without either');
  // The same parser as `logs` and `check --log` run it: no throw, a report.
  assert.doesNotThrow(() => parseLogSource({ name: 'odd', text: odd.join('\n') }));
});

test('embedded etcd with zap\'s production logger: numeric ts and float-second durations, read as etcd\'s own', () => {
  const text = fixture(EMBEDDED);
  const lines = text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { ts: number; msg: string; took?: number });
  assert.ok(lines.every((l) => typeof l.ts === 'number'), 'every ts a number');
  const { events, format } = parseEtcdLog(text);
  assert.equal(format, 'json');
  for (const [kind, msg] of [['compaction', 'finished scheduled compaction'], ['defrag', 'finished defragmenting directory'], ['slow-apply', 'apply request took too long']] as const) {
    const said = lines.filter((l) => l.msg === msg);
    assert.ok(said.length > 0 && said.every((l) => typeof l.took === 'number'), `${kind}: took in float seconds`);
    assert.deepEqual(events.filter((e) => e.kind === kind).map((e) => [e.time, e.ms]), said.map((l) => [new Date(Math.trunc(l.ts * 1000)).toISOString(), (l.took as number) * 1000]), kind);
  }
  assert.ok(events.filter((e) => e.kind === 'slow-apply').every((e) => e.expectedMs === 100 && e.request === 'read-only range key:"/stalled"'));
  assert.ok(events.some((e) => e.kind === 'nospace'));
});

test('real lines broken every way (cut, bytes replaced, fields of every type and size): read, never thrown on', () => {
  // A small deterministic generator: the same mutations on every run.
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  const values = ['1e300', '-1', 'null', 'true', '"1e999s"', '{}', '[]', '"NaN"', '99999999999999999999', '"\\u0000"', '"2026-13-45T99:99:99Z"'];
  const originals = [...CAPTURED, EMBEDDED].flatMap((name) => fixture(name).split('\n').filter((l) => l.trim()).filter((_, i) => i % 7 === 0));
  const broken = originals.flatMap((line) => [
    line.slice(0, next(line.length + 1)),
    line.slice(next(line.length + 1)),
    [...line].map((c) => (next(20) === 0 ? String.fromCharCode(next(0x3000)) : c)).join(''),
    line.replace(/"(ts|took|msg|level|alarm|error|request|expected-duration|exceeded-duration|logger)": ?("[^"]*"|[\d.e+-]+)/g, (_, key: string) => `"${key}":${values[next(values.length)] as string}`),
    `2026-12-01T07:00:00.000000000+00:00 stderr ${next(2) ? 'P' : 'F'} ${line.slice(0, 50)}`,
  ]);
  const read = parseEtcdLog(broken.join('\n'));
  assert.equal(read.lines, broken.filter((l) => l.trim()).length - broken.filter((l) => / stderr P /.test(l)).length + (/ stderr P /.test(broken[broken.length - 1] ?? '') ? 1 : 0));
  assert.ok(read.events.every((e) => e.time === undefined || !Number.isNaN(Date.parse(e.time))));
  assert.ok(read.events.every((e) => e.ms === undefined || Number.isFinite(e.ms)));
});

test('a file that is not an etcd log is unrecognised; an empty one is empty', () => {
  const passwd = parseLogSource({ name: 'passwd', text: 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n' });
  assert.deepEqual([passwd.format, passwd.recognised, passwd.events.length], ['unknown', false, 0]);
  assert.deepEqual(summariseEtcdLog(''), { lines: 0, format: 'empty', events: {} });
  assert.deepEqual(summariseEtcdLog('\n\r\n  \n'), { lines: 0, format: 'empty', events: {} });
  const mixed = parseEtcdLog(`${fixture('etcd-3.6.16-console.log')}\n${fixture('etcd-3.6.16-zap.log')}`);
  assert.equal(mixed.format, 'mixed');
});
