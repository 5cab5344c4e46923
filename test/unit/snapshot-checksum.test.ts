import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { TrailingChecksum } from '../../shared/maintain/snapshot.ts';

const db = Buffer.from(Array.from({ length: 100_003 }, (_, i) => (i * 7) % 251));
const stream = Buffer.concat([db, createHash('sha256').update(db).digest()]);

function feed(chunks: number[]): ReturnType<TrailingChecksum['verify']> {
  const checksum = new TrailingChecksum();
  let at = 0;
  for (const size of chunks) {
    checksum.update(stream.subarray(at, at + size));
    at += size;
  }
  checksum.update(stream.subarray(at));
  return checksum.verify();
}

test('the trailing SHA-256 is verified whatever the chunking, tiny chunks at the end included', () => {
  for (const chunks of [[], [1], [65_536, 32_768], [100_000, 20, 10, 5], [100_034]]) {
    const verdict = feed(chunks);
    assert.equal(verdict.ok, true, JSON.stringify(chunks));
    assert.equal(verdict.actual, createHash('sha256').update(db).digest('hex'));
  }
});

test('a damaged or truncated stream fails', () => {
  const damaged = new TrailingChecksum();
  const copy = Buffer.from(stream);
  copy[500] = (copy[500] as number) ^ 1;
  damaged.update(copy);
  assert.equal(damaged.verify().ok, false);
  const truncated = new TrailingChecksum();
  truncated.update(stream.subarray(0, 20));
  assert.deepEqual(truncated.verify().ok, false);
});
