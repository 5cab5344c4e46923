import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditConfig, type ConfigFix } from '../../shared/analyse/config-audit.ts';
import { readEtcdConfig, setFlag, type EtcdConfig } from '../../shared/collect/etcd-config.ts';

const applyFix = (text: string, config: EtcdConfig, fix: ConfigFix): string => setFlag(text, config, fix.flag, fix.value);

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
    const text = fixture(name);
    const config = readEtcdConfig(text, file)!;
    for (const finding of auditConfig(config).filter((f) => f.fix)) {
      const fixed = applyFix(text, config, finding.fix!);
      const again = readEtcdConfig(fixed, file);
      assert.ok(again, `${name}: still readable after fixing ${finding.id}`);
      assert.equal(again.flags.get(finding.fix!.flag)?.value, finding.fix!.value, `${name}: ${finding.id}`);
      assert.ok(!auditConfig(again).some((f) => f.id === finding.id), `${name}: ${finding.id} gone`);
    }
  }
  const text = fixture('kubeadm-etcd.yaml');
  const fixed = applyFix(text, readEtcdConfig(text, 'etcd.yaml')!, { flag: 'listen-metrics-urls', value: 'http://127.0.0.1:2381' });
  assert.match(fixed, /    - --trusted-ca-file=\/etc\/kubernetes\/pki\/etcd\/ca.crt\n    - --listen-metrics-urls=http:\/\/127.0.0.1:2381\n    image:/);
});
