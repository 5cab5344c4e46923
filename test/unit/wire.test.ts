// The load generator's hand-encoded requests are byte for byte what protobufjs encodes from etcd's own rpc.proto
// (the copy shipped in etcd3), and templated keys land where the key bytes are.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import * as protobuf from 'protobufjs';
import { decodeAuthenticateToken, decodeRangeResponse, encodeAuthenticate, encodePut, encodeRange, encodeRangePage, encodeTxnPut, keyedTemplate } from '../../shared/connect/grpc/wire.ts';

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => (target.startsWith('/') ? target : join(__dirname, '../../node_modules/etcd3/proto', target));
root.loadSync('rpc.proto', { keepCase: true });
const type = (name: string): protobuf.Type => root.lookupType(`etcdserverpb.${name}`);
const encode = (name: string, value: object): Buffer => Buffer.from(type(name).encode(type(name).fromObject(value)).finish());

test('Put, Range, Txn and Authenticate requests equal protobufjs encodings of rpc.proto', () => {
  const key = Buffer.from('/etcd-perf-bench/0000000000ab');
  const value = Buffer.alloc(300, 0x78);
  assert.deepEqual(encodePut(key, value), encode('PutRequest', { key, value }));
  assert.deepEqual(encodeRange(key, false), encode('RangeRequest', { key }));
  assert.deepEqual(encodeRange(key, true), encode('RangeRequest', { key, serializable: true }));
  const keys = [key, Buffer.from('/b'), Buffer.from('/c')];
  assert.deepEqual(encodeTxnPut(keys, value), encode('TxnRequest', { success: keys.map((k) => ({ request_put: { key: k, value } })) }));
  assert.deepEqual(encodeAuthenticate('root', 'pw'), encode('AuthenticateRequest', { name: 'root', password: 'pw' }));
});

test('the token is read from an Authenticate response, header and all', () => {
  const response = encode('AuthenticateResponse', { header: { cluster_id: '14841639068965178418', revision: '12345', raft_term: '7' }, token: 'abc.123' });
  assert.equal(decodeAuthenticateToken(response), 'abc.123');
});

test('a keyed template marks each key\'s variable bytes', () => {
  const prefix = Buffer.from('/p/');
  const value = Buffer.from('v');
  const t = keyedTemplate((ks) => encodeTxnPut(ks, value), prefix, 4, 2);
  const request = Buffer.from(t.template);
  for (const [i, offset] of t.keyOffsets.entries()) request.write(`k${i}zz`, offset);
  const decoded = type('TxnRequest').decode(request) as unknown as { success: Array<{ request_put: { key: Buffer } }> };
  assert.deepEqual(decoded.success.map((op) => Buffer.from(op.request_put.key).toString()), ['/p/k0zz', '/p/k1zz']);
});

test('Range pages encode as protobufjs does; a Range response is walked in place, values only as lengths', () => {
  const page = { key: Buffer.from('/registry/pods/a\0'), rangeEnd: Buffer.from('/registry0'), limit: 1000, revision: 4321, serializable: true, keysOnly: false };
  assert.deepEqual(encodeRangePage(page), encode('RangeRequest', { key: page.key, range_end: page.rangeEnd, limit: 1000, revision: 4321, serializable: true }));
  assert.deepEqual(encodeRangePage({ ...page, revision: 0, serializable: false, keysOnly: true }), encode('RangeRequest', { key: page.key, range_end: page.rangeEnd, limit: 1000, keys_only: true }));
  const response = encode('RangeResponse', {
    header: { cluster_id: '14841639068965178418', member_id: '10276657743932975437', revision: '987654', raft_term: '3' },
    kvs: [
      { key: Buffer.from('/registry/pods/default/a'), create_revision: '5', mod_revision: '9', version: '4', value: Buffer.alloc(1000, 1) },
      { key: Buffer.from('/registry/events/default/e'), create_revision: '6', mod_revision: '6', version: '1', value: Buffer.alloc(0), lease: '7587869102534123789' },
    ],
    more: true, count: '615',
  });
  const seen: unknown[] = [];
  const answer = decodeRangeResponse(response, (key, valueBytes, version, lease) => seen.push([key.toString(), valueBytes, version, lease]));
  assert.deepEqual(answer, { revision: 987654, more: true, count: 615 });
  assert.deepEqual(seen, [['/registry/pods/default/a', 1000, 4, false], ['/registry/events/default/e', 0, 1, true]]);
});
