// A cluster with TLS, client-certificate auth and etcd user auth, as production clusters run: the right credentials
// read everything; each wrong one gives one line that says what is wrong. The password never appears in output.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalCluster } from '../../shared/demo/local-cluster.ts';
import { parseEtcdctlJson, runCli } from '../harness/cli.ts';
import type { CheckReport } from '../../shared/analyse/report.ts';

const PASSWORD = 'S3cr3t-pw-9f2c';
let cluster: LocalCluster;

before(async () => {
  cluster = await LocalCluster.start({ size: 3, tls: true, rootPassword: PASSWORD });
});

after(async () => { await cluster?.dispose(); });

function tlsFlags(overrides: { cacert?: string | null; cert?: string | null; key?: string | null } = {}): string[] {
  const pki = cluster.pki!;
  const pick = (key: 'cacert' | 'cert' | 'key', fallback: string): string[] => {
    const value = overrides[key] === undefined ? fallback : overrides[key];
    return value === null ? [] : [`--${key}`, value];
  };
  return [
    '--endpoints', cluster.endpoints.join(','),
    ...pick('cacert', pki.ca), ...pick('cert', pki.clientCert), ...pick('key', pki.clientKey),
  ];
}

function noPassword(...texts: string[]): void {
  for (const text of texts) assert.ok(!text.includes(PASSWORD), 'the password must never be printed');
}

test('with CA, client certificate and user, every member is read and matches etcdctl', async () => {
  const result = await runCli(['check', '--window', '0', '-o', 'json', ...tlsFlags(), '--user', `root:${PASSWORD}`]);
  noPassword(result.stdout, result.stderr);
  const report = JSON.parse(result.stdout) as CheckReport;
  assert.equal(report.members.length, 3);
  const theirs = parseEtcdctlJson(cluster.etcdctl(['endpoint', 'status', '-w', 'json'])) as Array<{ Endpoint: string; Status: { dbSize: number } }>;
  for (const status of theirs) {
    const member = report.members.find((m) => m.endpoint === status.Endpoint);
    assert.ok(member?.healthy, `${status.Endpoint} healthy`);
    assert.ok(member.endpoint.startsWith('https://'));
    assert.ok(Math.abs((member.dbSize ?? 0) - status.Status.dbSize) <= status.Status.dbSize * 0.01);
    assert.ok(member.metrics !== null, 'metrics over https with the client certificate');
  }
});

test('credentials from ETCDCTL_* variables work the same, with the password from ETCDCTL_PASSWORD', async () => {
  const pki = cluster.pki!;
  const result = await runCli(['status', '-o', 'json'], {
    ETCDCTL_ENDPOINTS: cluster.endpoints.join(','), ETCDCTL_CACERT: pki.ca, ETCDCTL_CERT: pki.clientCert,
    ETCDCTL_KEY: pki.clientKey, ETCDCTL_USER: 'root', ETCDCTL_PASSWORD: PASSWORD,
  });
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as CheckReport;
  assert.ok(report.members.every((m) => m.healthy));
});

test('a wrong CA: exit 3, one line saying the server certificate is not trusted', async () => {
  const result = await runCli(['check', '--window', '0', ...tlsFlags({ cacert: cluster.pki!.otherCa }), '--user', `root:${PASSWORD}`]);
  assert.equal(result.code, 3);
  assert.equal(result.stderr.trimEnd().split('\n').length, 1);
  assert.match(result.stderr, /^error: no member reachable: https:\/\/127\.0\.0\.1:\d+, .*: TLS: server certificate not trusted \(.*\); check --cacert$/m);
  noPassword(result.stdout, result.stderr);
});

test('no client certificate: exit 3, one line saying the server requires one', async () => {
  const result = await runCli(['check', '--window', '0', ...tlsFlags({ cert: null, key: null }), '--user', `root:${PASSWORD}`]);
  assert.equal(result.code, 3);
  assert.equal(result.stderr.trimEnd().split('\n').length, 1);
  assert.match(result.stderr, /TLS: the server requires a client certificate it accepts; check --cert and --key/);
});

test('--insecure-skip-tls-verify accepts an untrusted server certificate', async () => {
  const result = await runCli(['status', '-o', 'json', ...tlsFlags({ cacert: cluster.pki!.otherCa }), '--insecure-skip-tls-verify', '--user', `root:${PASSWORD}`]);
  assert.equal(result.code, 0, result.stderr);
  assert.ok((JSON.parse(result.stdout) as CheckReport).members.every((m) => m.healthy));
});

test('a wrong password is bad input (exit 2) named as an authentication failure, without echoing it', async () => {
  const wrong = 'not-the-password-41';
  const result = await runCli(['check', '--window', '0', ...tlsFlags(), '--user', `root:${wrong}`]);
  assert.equal(result.code, 2);
  assert.equal(result.stderr.trimEnd().split('\n').length, 1);
  assert.match(result.stderr, /^error: etcdserver: authentication failed, invalid user ID or password \(https:.*\); check --user and --password$/m);
  assert.equal(result.stdout, '', 'with nothing read, the table would only repeat the error');
  const json = await runCli(['check', '--window', '0', '-o', 'json', ...tlsFlags(), '--user', `root:${wrong}`]);
  const report = JSON.parse(json.stdout) as CheckReport;
  assert.deepEqual(report.findings.filter((f) => f.id === 'auth-failed').map((f) => f.severity), ['crit', 'crit', 'crit']);
  assert.ok(!json.stdout.includes(wrong) && !json.stderr.includes(wrong));
  assert.ok(!result.stderr.includes(wrong) && !result.stdout.includes(wrong));
});

test('no user on an auth-enabled cluster is named too', async () => {
  const result = await runCli(['check', '--window', '0', '-o', 'json', ...tlsFlags()]);
  const report = JSON.parse(result.stdout) as CheckReport;
  // etcd 3.4 maps a client certificate's CN to a user when auth is on; without a matching user, reads are refused.
  for (const m of report.members) assert.ok(m.healthy || /user name is empty|permission denied|not capable|authentication/i.test(m.error ?? ''), m.error ?? '');
});

test('a frozen TLS member ends at --dial-timeout (its handshake never completes), not --command-timeout', async (t) => {
  const table = cluster.etcdctl(['endpoint', 'status', '-w', 'table']);
  const leader = cluster.members.findIndex((m) => (table.split('\n').find((line) => /\|\s*true\s*\|/.test(line)) ?? '').includes(m.clientUrl));
  const frozen = (leader + 1) % 3;
  cluster.kill(frozen, 'SIGSTOP');
  t.after(async () => {
    cluster.kill(frozen, 'SIGCONT');
    await cluster.waitHealthy(30_000); // the resumed member calls an election: let it settle
  });
  const result = await runCli(['check', '--window', '0', '-o', 'json', '--dial-timeout', '1s', '--command-timeout', '8s',
    ...tlsFlags(), '--user', `root:${PASSWORD}`]);
  const report = JSON.parse(result.stdout) as CheckReport;
  const member = report.members.find((m) => m.endpoint === cluster.members[frozen]?.clientUrl);
  assert.match(member?.error ?? '', /^unreachable: dial timed out after 1000 ms$/);
  assert.ok(result.ms < 6000, `ended after ${result.ms} ms, well before the 8 s command timeout`);
  assert.ok(report.members.filter((m) => m !== member).every((m) => m.healthy && m.dbSize !== null));
});


test('bench load over TLS with a client certificate and an etcd user: every request authenticated, keys deleted', async () => {
  const result = await runCli(['bench', 'load', 'put', '--total', '300', '--clients', '10', '--conns', '3', '-o', 'json', ...tlsFlags(), '--user', `root:${PASSWORD}`]);
  noPassword(result.stdout, result.stderr);
  assert.equal(result.code, 0, result.stderr);
  const load = JSON.parse(result.stdout) as { total: number; errors: number; keysLeft: number; endpoints: string[] };
  assert.deepEqual([load.total, load.errors, load.keysLeft], [300, 0, 0]);
  assert.ok(load.endpoints.every((e) => e.startsWith('https://')));
  const refused = await runCli(['bench', 'load', 'put', '--total', '10', ...tlsFlags(), '--user', 'root:wrong-password']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /^error: .*authentication failed/);
  noPassword(refused.stderr);
});
