// etcdctl's JSON ids survive parsing exactly (captured from etcdctl 3.4.23 `lease grant -w json` and `member list -w json`).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExactJson } from '../../shared/connect/kubernetes/exact-json.ts';

test('uint64 ids stay exact; small numbers stay numbers; strings are untouched', () => {
  const text = '{"cluster_id":14841639068965178418,"member_id":10276657743932975437,"revision":1,"raft_term":2,"ID":7587899122995241733,"TTL":15,"Error":""}';
  assert.notEqual(String(JSON.parse(text).ID), '7587899122995241733', 'JSON.parse rounds it');
  assert.deepEqual(parseExactJson(text), {
    cluster_id: '14841639068965178418', member_id: '10276657743932975437', revision: 1, raft_term: 2, ID: '7587899122995241733', TTL: 15, Error: '',
  });
  assert.deepEqual(parseExactJson('{"k":"12345678901234567890 \\" 99999999999999999","n":[-1.5e3,0,9007199254740993]}'),
    { k: '12345678901234567890 \" 99999999999999999', n: [-1500, 0, '9007199254740993'] });
});
