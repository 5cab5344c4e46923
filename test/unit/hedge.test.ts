import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstSuccessful } from '../../shared/util/hedge.ts';

const after = <T>(ms: number, value: T, fail = false): (() => Promise<T>) => () =>
  new Promise((resolve, reject) => setTimeout(() => (fail ? reject(new Error(String(value))) : resolve(value)), ms));

test('one request when the first answers in time', async () => {
  let calls = 0;
  const counted = (ms: number, v: string) => () => { calls += 1; return after(ms, v)(); };
  assert.deepEqual(await firstSuccessful([counted(5, 'a'), counted(5, 'b')], 100), { value: 'a', index: 0 });
  assert.equal(calls, 1);
});

test('a failure starts the next at once', async () => {
  const started = Date.now();
  assert.deepEqual(await firstSuccessful([after(5, 'dead', true), after(5, 'b')], 10_000), { value: 'b', index: 1 });
  assert.ok(Date.now() - started < 1000);
});

test('a slow first is hedged, and the faster answer wins', async () => {
  assert.deepEqual(await firstSuccessful([after(2000, 'frozen'), after(5, 'b')], 50), { value: 'b', index: 1 });
});

test('all failing rejects with every error', async () => {
  await assert.rejects(firstSuccessful([after(1, 'x', true), after(1, 'y', true)], 50), (e: unknown) =>
    e instanceof AggregateError && e.errors.map((x: Error) => x.message).join() === 'x,y');
});
