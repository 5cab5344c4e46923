// The precompiled etcd service definitions the bundle uses must behave exactly like proto-loader's, which etcd3 uses
// when not bundled: same services, paths and streaming flags, and byte-identical encoding and equal decoding.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadSync } from '@grpc/proto-loader';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { packageDefinitionFromJson, protoJson } from '../../shared/connect/grpc/etcd-proto.ts';

const RPC_PROTO = join(__dirname, '../../node_modules/etcd3/proto/rpc.proto');
const theirs = loadSync(RPC_PROTO, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
const ours = packageDefinitionFromJson(JSON.parse(JSON.stringify(protoJson(RPC_PROTO))));

const services = (definition: object): string[] =>
  Object.entries(definition).filter(([, value]) => !('format' in (value as object))).map(([name]) => name).sort();

test('the same services and methods, paths and streaming', () => {
  assert.deepEqual(Object.keys(ours).sort(), services(theirs));
  assert.ok(Object.keys(ours).includes('etcdserverpb.Maintenance'));
  for (const name of Object.keys(ours)) {
    const a = ours[name] as ServiceDefinition;
    const b = theirs[name] as ServiceDefinition;
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), name);
    for (const method of Object.keys(a)) {
      assert.equal(a[method]?.path, b[method]?.path);
      assert.equal(a[method]?.requestStream, b[method]?.requestStream);
      assert.equal(a[method]?.responseStream, b[method]?.responseStream);
    }
  }
  assert.equal((ours['etcdserverpb.Maintenance'] as ServiceDefinition).HashKV?.originalName, 'hashKV');
});

test('byte-identical requests and equal decoded responses', () => {
  const cases: Array<[string, string, object]> = [
    ['etcdserverpb.KV', 'Range', { key: Buffer.from('/registry/pods/'), range_end: Buffer.from('/registry/pods0'), limit: '500', serializable: true }],
    ['etcdserverpb.KV', 'Put', { key: Buffer.from('k'), value: Buffer.alloc(4096, 1), lease: '7587862073062465797' }],
    ['etcdserverpb.Maintenance', 'Alarm', { action: 'GET', memberID: '10501334649042878790', alarm: 'NOSPACE' }],
    ['etcdserverpb.Maintenance', 'HashKV', { revision: '50001' }],
  ];
  for (const [service, method, request] of cases) {
    const a = (ours[service] as ServiceDefinition)[method];
    const b = (theirs[service] as ServiceDefinition)[method];
    assert.ok(a && b);
    const bytes = b.requestSerialize(request);
    assert.deepEqual(a.requestSerialize(request), bytes, `${method} request`);
    assert.deepEqual(a.requestDeserialize(bytes), b.requestDeserialize(bytes), `${method} decoded`);
  }
  const status = (theirs['etcdserverpb.Maintenance'] as ServiceDefinition).Status;
  const response = status?.responseSerialize({
    header: { cluster_id: '14841639068965178418', member_id: '10276657743932975437', revision: '50001', raft_term: '2' },
    version: '3.4.23', dbSize: '308183040', leader: '10276657743932975437', raftIndex: '50120', raftTerm: '2',
    raftAppliedIndex: '50120', errors: [], dbSizeInUse: '12345344', isLearner: false,
  });
  assert.ok(response);
  const decoded = (ours['etcdserverpb.Maintenance'] as ServiceDefinition).Status?.responseDeserialize(response);
  assert.deepEqual(decoded, status?.responseDeserialize(response));
  assert.equal((decoded as { dbSize: string }).dbSize, '308183040', 'int64 as a decimal string');
});
