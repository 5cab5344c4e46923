// The log parser on real etcd 3.4.23 logs in both formats (test/fixtures/logs, see its README for how they were made).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { goDurationMs, parseEtcdLog, summariseEtcdLog } from '../../shared/collect/etcd-log.ts';

const fixture = (name: string): string => readFileSync(join(__dirname, '../fixtures/logs', name), 'utf8');

test('Go durations', () => {
  assert.equal(goDurationMs('1.503245841s'), 1503.245841);
  assert.equal(goDurationMs('177.836392ms'), 177.836392);
  assert.equal(goDurationMs('84.5µs'), 0.0845);
  assert.equal(goDurationMs('1m2.5s'), 62_500);
  assert.equal(goDurationMs('fast'), undefined);
  assert.equal(goDurationMs('1.5s later'), undefined);
});

test('capnslog text (3.4 default): the frozen leader\'s slow sync, late heartbeats, elections, compaction and defrag', () => {
  const summary = summariseEtcdLog(fixture('etcd-3.4.23-capnslog-member1.log'));
  assert.equal(summary.format, 'text');
  assert.equal(summary.lines, 122);
  // "wal: sync duration of 1.503245841s, expected less than 1s"
  assert.deepEqual(summary.events['slow-fdatasync'], { count: 1, first: '2026-11-24T09:09:43.432Z', last: '2026-11-24T09:09:43.432Z', worstMs: 1503.246 });
  assert.equal(summary.events['leader-elected']?.count, 3);
  assert.equal(summary.events['leader-lost']?.count, 2);
  assert.equal(summary.events['slow-apply']?.count, 3, 'two "waiting for ReadIndex response took too long" retries are not slow requests');
  // "mvcc: finished scheduled compaction at 15801 (took 189.8ms)"; the defrag's duration from its start and end lines.
  assert.equal(summary.events.compaction?.worstMs, 189.848);
  assert.equal(summary.events.defrag?.count, 1);
  assert.equal(summary.events.defrag?.worstMs, 767);
});

test('zap JSON lines: durations from the took and exceeded-duration fields', () => {
  const summary = summariseEtcdLog(fixture('etcd-3.4.23-zap-member3.log'));
  assert.equal(summary.format, 'json');
  assert.equal(summary.events['heartbeat-late']?.count, 10);
  assert.equal(summary.events['heartbeat-late']?.worstMs, 1368.008);
  assert.equal(summary.events['slow-apply']?.count, 3, 'the heartbeat message also says "took too long": not an apply');
  assert.equal(summary.events.defrag?.worstMs, 333.039);
  assert.deepEqual(summariseEtcdLog(fixture('etcd-3.4.23-zap-member1.log')).events['slow-fdatasync'],
    { count: 1, first: '2026-11-24T09:10:04.877Z', last: '2026-11-24T09:10:04.877Z', worstMs: 1500.529 });
});

test('every fixture: each sign counted once per line that shows it', () => {
  for (const name of ['capnslog', 'zap'].flatMap((f) => [1, 2, 3].map((i) => `etcd-3.4.23-${f}-member${i}.log`))) {
    const text = fixture(name);
    const lines = text.split('\n');
    const count = (re: RegExp) => lines.filter((l) => re.test(l)).length;
    const { events } = parseEtcdLog(text);
    const of = (kind: string) => events.filter((e) => e.kind === kind).length;
    assert.equal(of('heartbeat-late'), count(/failed to send out heartbeat on time/), name);
    assert.equal(of('slow-apply'), count(/took too long [([]|apply (request|entries) took too long/), name);
    assert.equal(of('leader-elected'), count(/elected leader/), name);
    assert.equal(of('leader-lost'), count(/lost leader/), name);
    assert.equal(of('compaction'), count(/finished scheduled compaction/), name);
    assert.ok(events.every((e) => e.time !== undefined), `${name}: every event has its time`);
  }
});

test('kubectl logs --timestamps prefixes and empty input', () => {
  const { events } = parseEtcdLog('2026-11-24T09:10:04.877000000Z {"level":"warn","ts":"2026-11-24T09:10:04.877Z","msg":"slow fdatasync","took":"1.2s","expected-duration":"1s"}\n');
  assert.deepEqual(events, [{ kind: 'slow-fdatasync', time: '2026-11-24T09:10:04.877Z', ms: 1200 }]);
  assert.deepEqual(summariseEtcdLog(''), { lines: 0, format: 'empty', events: {} });
});
