import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from '../../shared/util/duration.ts';
import { throwsUsage } from '../harness/words.ts';

test('parseDuration accepts Go-style durations', () => {
  const cases: Array<[string, number]> = [['0', 0], ['2s', 2000], ['500ms', 500], ['1m30s', 90_000], ['1.5s', 1500], ['1h', 3_600_000], ['250us', 0.25]];
  for (const [text, ms] of cases) assert.equal(parseDuration(text, 'window'), ms, text);
});

test('parseDuration rejects bad input with the flag name', () => {
  for (const text of ['', '10', 'abc', '5 s', '2sx', '-1s']) {
    throwsUsage(() => parseDuration(text, 'window'), /^--window: invalid duration/, text);
  }
});

test('formatDuration is readable', () => {
  assert.equal(formatDuration(850), '850ms');
  assert.equal(formatDuration(2500), '2.5s');
  assert.equal(formatDuration(90_000), '1m30s');
});
