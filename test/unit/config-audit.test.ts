import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditConfig } from '../../shared/analyse/config-audit.ts';
import { readEtcdConfig } from '../../shared/collect/etcd-config.ts';
import { configProblems, isEtcdConfig } from '../../shared/entry/config.ts';

const fixture = (name: string): string => readFileSync(join(__dirname, '../fixtures', name), 'utf8');
const ids = (text: string, file: string): string[] => auditConfig(readEtcdConfig(text, file)!).map((f) => `${f.id}:${f.severity}`).sort();

test('reads the three forms, values and their places in the text', () => {
  const manifest = readEtcdConfig(fixture('kubeadm-etcd.yaml'), 'etcd.yaml');
  assert.equal(manifest?.kind, 'manifest');
  assert.equal(manifest?.flags.get('election-timeout')?.value, '300');
  const span = manifest!.flags.get('data-dir')!.span;
  assert.equal(fixture('kubeadm-etcd.yaml').slice(span.valueStart, span.valueEnd), '/var/lib/etcd');
  const file = readEtcdConfig(fixture('etcd.conf.yml'), 'etcd.conf.yml');
  assert.equal(file?.kind, 'config-file');
  assert.equal(file?.flags.get('snapshot-count')?.value, '250000');
  const env = readEtcdConfig(fixture('etcd.env'), 'etcd.env');
  assert.equal(env?.kind, 'env');
  assert.equal(env?.flags.get('data-dir')?.value, '/var/lib/etcd/default');
  assert.equal(readEtcdConfig('apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - command: [nginx]\n', 'x.yaml'), undefined);
  assert.equal(readEtcdConfig('a: 1\nb: 2\n', 'x.yml'), undefined);
});

test('findings per form', () => {
  assert.deepEqual(ids(fixture('kubeadm-etcd.yaml'), 'etcd.yaml'), ['config-election-timeout:warn', 'config-metrics-url:warn', 'config-quota-default:info']);
  assert.deepEqual(ids(fixture('etcd.conf.yml'), 'etcd.conf.yml'), ['config-auto-compaction:warn', 'config-metrics-url:warn', 'config-quota-large:warn', 'config-snapshot-count:warn']);
  assert.deepEqual(ids(fixture('etcd.env'), 'etcd.env'), ['config-auto-compaction:warn', 'config-election-timeout:warn', 'config-quota-default:info']);
});

test('every fix sets the recommended value in the file\'s own form, and its finding goes away', () => {
  for (const [name, file] of [['kubeadm-etcd.yaml', 'etcd.yaml'], ['etcd.conf.yml', 'etcd.conf.yml'], ['etcd.env', 'etcd.env']] as const) {
    const problems = configProblems(fixture(name), file)!;
    assert.ok(problems.some((p) => p.fix), `${name} has something to fix`);
    for (const problem of problems.filter((p) => p.fix)) {
      const [, flag, value] = /^Set --([a-z-]+)=(.*)$/.exec(problem.fix!.title)!;
      const again = readEtcdConfig(problem.fix!.text, file);
      assert.ok(again, `${name}: still readable after fixing ${problem.id}`);
      assert.equal(again.flags.get(flag!)?.value, value, `${name}: ${problem.id}`);
      assert.ok(!configProblems(problem.fix!.text, file)!.some((p) => p.id === problem.id), `${name}: ${problem.id} gone`);
    }
  }
  const metrics = configProblems(fixture('kubeadm-etcd.yaml'), 'etcd.yaml')!.find((p) => p.id === 'config-metrics-url')!;
  assert.match(metrics.fix!.text, /    - --trusted-ca-file=\/etc\/kubernetes\/pki\/etcd\/ca.crt\n    - --listen-metrics-urls=http:\/\/127.0.0.1:2381\n    image:/);
});

test('where the editor marks a problem: the flag\'s entry, or for a missing flag the line it would follow', () => {
  const text = fixture('kubeadm-etcd.yaml');
  const problems = configProblems(text, 'etcd.yaml')!;
  const election = problems.find((p) => p.id === 'config-election-timeout')!;
  assert.match(text.slice(election.start, election.end), /^(--)?election-timeout=300$/);
  assert.match(election.message, /^.+\. .+$/, 'title, then what to do');
  const metrics = problems.find((p) => p.id === 'config-metrics-url')!;
  assert.equal(text.slice(metrics.start, metrics.end), '    - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt');
  assert.equal(metrics.fix?.title, 'Set --listen-metrics-urls=http://127.0.0.1:2381');
  assert.equal(configProblems('a: 1\n', 'x.yml'), undefined);
  assert.ok(isEtcdConfig(text, 'etcd.yaml') && !isEtcdConfig('a: 1\n', 'x.yml'));
});
