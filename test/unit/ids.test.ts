import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hexId } from '../../shared/connect/ids.ts';

test('uint64 ids (decimal strings on the wire) become lowercase hex as etcdctl prints them, without rounding', () => {
  // From a real etcd 3.4.23 member started with the default name and peer URL: `etcdctl member list -w json` prints
  // ID 10276657743932975437, `etcdctl member list` prints 8e9e05c52164694d.
  assert.equal(hexId('10276657743932975437'), '8e9e05c52164694d');
  assert.equal(hexId('18446744073709551615'), 'ffffffffffffffff');
  assert.equal(hexId('0'), '0');
  assert.equal(hexId(undefined), '0');
  assert.notEqual(Number('10276657743932975437').toString(16), '8e9e05c52164694d', 'a Number would have rounded it');
});
