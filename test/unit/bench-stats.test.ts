// Latency statistics of the probes (nearest-rank percentiles, population stddev, 1-2-5 histogram) and the parsing of
// /proc/self/mountinfo and sysfs scheduler lines behind bench disk's filesystem facts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { histogram, LatencyRecorder, quantile, summarise } from '../../shared/bench/latency.ts';
import { mountFor, parseMountInfo, parseScheduler } from '../../shared/collect/filesystem.ts';

test('nearest-rank percentiles, mean and population standard deviation over recorded samples', () => {
  const recorder = new LatencyRecorder();
  for (let ms = 1000; ms >= 1; ms -= 1) recorder.record(ms);
  assert.equal(recorder.count, 1000, 'grows past its first 1024-slot buffer only when needed');
  const sorted = recorder.sorted();
  assert.equal(quantile(sorted, 0.5), 500);
  assert.equal(quantile(sorted, 0.99), 990);
  assert.equal(quantile(sorted, 0.999), 999);
  assert.equal(quantile(sorted, 1), 1000);
  const stats = summarise(sorted);
  assert.deepEqual([stats.p50Ms, stats.p90Ms, stats.p99Ms, stats.p999Ms, stats.maxMs, stats.minMs, stats.meanMs], [500, 900, 990, 999, 1000, 1, 500.5]);
  assert.ok(Math.abs(stats.stddevMs - Math.sqrt((1000 ** 2 - 1) / 12)) < 1e-9);
  const two = new LatencyRecorder();
  for (let i = 0; i < 3000; i += 1) two.record(i % 2 ? 2 : 4);
  assert.equal(two.count, 3000);
  assert.equal(summarise(two.sorted()).stddevMs, 1);
  assert.equal(summarise(new Float64Array()).count, 0);
});

test('histogram buckets on a 1-2-5 scale up to the slowest sample, every sample counted once', () => {
  const sorted = Float64Array.from([0.05, 0.1, 0.15, 0.3, 0.9, 1, 7, 7, 40]).sort();
  const buckets = histogram(sorted);
  assert.deepEqual(buckets.map((b) => b.upToMs), [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50]);
  assert.deepEqual(buckets.map((b) => b.count), [2, 1, 1, 2, 0, 0, 2, 0, 1]);
  assert.deepEqual(histogram(new Float64Array()), []);
});

// The first two lines were read from /proc/self/mountinfo on the test machine (a tmpfs mounted at "/tmp/mnt test" with
// noatime, the space escaped as \040); the third is the example line of proc(5), with an optional field before "-".
const MOUNTINFO = `27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
42 27 0:39 / /tmp/mnt\\040test rw,noatime - tmpfs tmpfs rw,size=1024k
36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
`;

test('mountinfo: escaped mount points, optional fields, per-mount and filesystem options, the longest mount wins', () => {
  const entries = parseMountInfo(MOUNTINFO);
  assert.equal(entries.length, 3);
  assert.deepEqual(entries[1], { device: '0:39', mountPoint: '/tmp/mnt test', fsType: 'tmpfs', source: 'tmpfs', options: ['rw', 'noatime', 'rw', 'size=1024k'] });
  assert.deepEqual(entries[2], { device: '98:0', mountPoint: '/mnt2', fsType: 'ext3', source: '/dev/root', options: ['rw', 'noatime', 'rw', 'errors=continue'] });
  assert.equal(mountFor(entries, '/tmp/mnt test/etcd')?.fsType, 'tmpfs');
  assert.equal(mountFor(entries, '/tmp/mnt test')?.fsType, 'tmpfs');
  assert.equal(mountFor(entries, '/tmp/mnt testing')?.fsType, 'ext4', 'a sibling whose name starts the same is not inside');
  assert.equal(mountFor(entries, '/var/lib/etcd')?.source, '/dev/vda');
});

test('sysfs scheduler: the bracketed one is active', () => {
  assert.equal(parseScheduler('[mq-deadline] kyber bfq none\n'), 'mq-deadline');
  assert.equal(parseScheduler('none\n'), 'none');
  assert.equal(parseScheduler(''), null);
});
