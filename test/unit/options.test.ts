import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normaliseEndpoint, resolveConnectionOptions } from '../../shared/connect/options.ts';
import { UsageError } from '../../shared/util/errors.ts';
import { inCliWords, throwsUsage } from '../harness/words.ts';

test('endpoints are normalised to scheme://host:port', () => {
  const cases: Array<[string, boolean, string]> = [
    ['127.0.0.1:2379', false, 'http://127.0.0.1:2379'],
    ['127.0.0.1:2379', true, 'https://127.0.0.1:2379'],
    ['https://etcd-0:2379', false, 'https://etcd-0:2379'],
    ['http://[::1]:2379/', false, 'http://[::1]:2379'],
    [' localhost:12379 ', false, 'http://localhost:12379'],
  ];
  for (const [raw, secure, expected] of cases) assert.equal(normaliseEndpoint(raw, secure), expected, raw);
});

test('malformed endpoints are usage errors that quote the input', () => {
  for (const raw of ['127.0.0.1', 'ftp://x:1', 'http://x:1/path', 'http://:1', 'x:99999', 'a b:1']) {
    assert.throws(() => normaliseEndpoint(raw, false), (e: unknown) => e instanceof UsageError && inCliWords(e).includes('--endpoints'), raw);
  }
});

test('flags win over ETCDCTL_* variables, which win over defaults', () => {
  const env = { ETCDCTL_ENDPOINTS: 'a:1,b:2', ETCDCTL_DIAL_TIMEOUT: '3s', ETCDCTL_USER: 'root:secret' };
  const fromEnv = resolveConnectionOptions({}, env);
  assert.deepEqual(fromEnv.endpoints, ['http://a:1', 'http://b:2']);
  assert.equal(fromEnv.dialTimeoutMs, 3000);
  assert.equal(fromEnv.commandTimeoutMs, 5000);
  assert.deepEqual(fromEnv.auth, { username: 'root', password: 'secret' });
  const fromFlags = resolveConnectionOptions({ endpoints: 'c:3', dialTimeout: '500ms', user: 'alice', password: 'pw' }, env);
  assert.deepEqual(fromFlags.endpoints, ['http://c:3']);
  assert.equal(fromFlags.dialTimeoutMs, 500);
  assert.deepEqual(fromFlags.auth, { username: 'alice', password: 'pw' });
  assert.deepEqual(resolveConnectionOptions({}, {}).endpoints, ['http://127.0.0.1:2379']);
});

test('TLS files make scheme-less endpoints https, and unreadable files are named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'etcd-perf-opts-'));
  writeFileSync(join(dir, 'ca.crt'), 'x');
  const options = resolveConnectionOptions({ endpoints: 'h:1', cacert: join(dir, 'ca.crt') }, {});
  assert.deepEqual(options.endpoints, ['https://h:1']);
  throwsUsage(() => resolveConnectionOptions({ cacert: join(dir, 'missing.crt') }, {}), /--cacert: cannot read .*missing\.crt \(no such file\)/);
  throwsUsage(() => resolveConnectionOptions({ cert: join(dir, 'ca.crt') }, {}), /--cert and --key must be given together/);
});

test('auth and metrics URL mistakes are explained', () => {
  throwsUsage(() => resolveConnectionOptions({ user: 'root' }, {}), /--user root: no password/);
  throwsUsage(() => resolveConnectionOptions({ password: 'x' }, {}), /--password needs --user/);
  throwsUsage(() => resolveConnectionOptions({ endpoints: 'a:1,b:2', metricsUrls: 'a:2381' }, {}), /one URL per endpoint/);
  const ok = resolveConnectionOptions({ endpoints: 'a:1', metricsUrls: 'a:2381' }, {});
  assert.deepEqual(ok.metricsUrls, ['http://a:2381/metrics']);
  throwsUsage(() => resolveConnectionOptions({ commandTimeout: 'soon' }, {}), /--command-timeout: invalid duration "soon"/);
});
