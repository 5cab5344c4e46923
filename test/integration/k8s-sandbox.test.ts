// The sandbox is faithful: real kubectl lists, describes and reads the logs and events of its etcd pods, and
// @kubernetes/client-node's exec and port-forward reach the real members through it (exit codes, missing binaries,
// RBAC refusals, a pod that is not running included).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { Exec, KubeConfig, PortForward, type V1Status } from '@kubernetes/client-node';
import { Sandbox } from '../harness/sandbox.ts';
import { etcdVersion } from '../harness/etcd.ts';

const run = promisify(execFile);

describe('k8s sandbox', () => {
  let sandbox: Sandbox;
  const kubectl = (...args: string[]) => run('kubectl', ['--kubeconfig', sandbox.kubeconfig, ...args], { encoding: 'utf8' });
  const config = (context?: string): KubeConfig => {
    const kc = new KubeConfig();
    kc.loadFromFile(sandbox.kubeconfig);
    if (context) kc.setCurrentContext(context);
    return kc;
  };
  const exec = async (pod: string, command: string[], context?: string) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c) => { out += c; });
    stderr.on('data', (c) => { err += c; });
    const status = await new Promise<V1Status>((resolve, reject) => {
      new Exec(config(context)).exec('kube-system', pod, 'etcd', command, stdout, stderr, null, false, resolve).catch(reject);
    });
    return { status, out, err };
  };
  const certFlags = ['--cacert=/etc/kubernetes/pki/etcd/ca.crt', '--cert=/etc/kubernetes/pki/etcd/server.crt',
    '--key=/etc/kubernetes/pki/etcd/server.key', '--endpoints=https://127.0.0.1:2379'];

  before(async () => { sandbox = await Sandbox.start(); });
  after(async () => { await sandbox?.stop(); });

  it('kubectl get pods lists the three etcd pods, running, on their nodes', async () => {
    const { stdout } = await kubectl('get', 'pods', '-n', 'kube-system', '-l', 'component=etcd');
    const rows = stdout.trim().split('\n');
    assert.match(rows[0] as string, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    assert.deepEqual(rows.slice(1).map((r) => r.split(/\s+/).slice(0, 3)), [
      ['etcd-cp-1', '1/1', 'Running'], ['etcd-cp-2', '1/1', 'Running'], ['etcd-cp-3', '1/1', 'Running']]);
    const json = JSON.parse((await kubectl('get', 'pods', '-n', 'kube-system', '-l', 'component=etcd', '-o', 'json')).stdout);
    assert.deepEqual(json.items.map((p: { spec: { nodeName: string } }) => p.spec.nodeName), ['cp-1', 'cp-2', 'cp-3']);
    const command = json.items[0].spec.containers[0].command as string[];
    assert.ok(command.includes('--listen-metrics-urls=http://127.0.0.1:2381'));
    assert.ok(command.includes('--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt'));
    assert.equal((await kubectl('get', 'pods', '-n', 'kube-system', '-l', 'component=kube-apiserver')).stderr.trim(), 'No resources found in kube-system namespace.');
  });

  it('kubectl logs shows the member\'s real log, and --tail and --timestamps work', async () => {
    const { stdout } = await kubectl('logs', '-n', 'kube-system', 'etcd-cp-1');
    // 3.4 logs capnslog text, 3.5+ zap JSON: either way the member names its own version.
    const version = etcdVersion().replace(/\./g, '\\.');
    assert.match(stdout, new RegExp(`etcdserver: starting server\\.\\.\\. \\[version: ${version}|"msg":"starting an etcd server".*"etcd-version":"${version}"`));
    assert.match(stdout, /ready to serve client requests/);
    const tail = (await kubectl('logs', '-n', 'kube-system', 'etcd-cp-2', '--tail=2', '--timestamps')).stdout.trim().split('\n');
    assert.equal(tail.length, 2);
    for (const line of tail) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z \S/);
  });

  it('kubectl get events and describe pod show the kubelet\'s events', async () => {
    const { stdout } = await kubectl('get', 'events', '-n', 'kube-system');
    assert.equal(stdout.split('\n').filter((l) => /Started\s+pod\/etcd-cp-\d\s+Started container etcd/.test(l)).length, 3);
    const described = (await kubectl('describe', 'pod', '-n', 'kube-system', 'etcd-cp-3')).stdout;
    assert.match(described, /^Node:\s+cp-3\/127\.\d+\.\d+\.13$/m);
    assert.match(described, /Normal\s+Started\s+\S+\s+kubelet\s+Started container etcd/);
  });

  it('exec runs the real etcdctl in the pod, with the pod\'s own paths and loopback', async () => {
    const { status, out } = await exec('etcd-cp-2', ['etcdctl', ...certFlags, 'endpoint', 'status', '-w', 'json']);
    assert.equal(status.status, 'Success');
    const [endpoint] = JSON.parse(out);
    // The sandbox's one liberty: the container's 127.0.0.1 is its node's address, and etcdctl echoes what it dialled.
    assert.equal(endpoint.Endpoint, `https://${sandbox.info.nodes[1]?.ip}:2379`);
    // Ids compared as the decimal text etcdctl wrote: JSON.parse would round these uint64s.
    const list = (await exec('etcd-cp-2', ['etcdctl', ...certFlags, 'member', 'list', '-w', 'json'])).out;
    const statusId = /"member_id":(\d+)/.exec(out)?.[1];
    assert.ok(statusId);
    assert.equal(statusId, /"ID":(\d+),"name":"cp-2"/.exec(list)?.[1]);
  });

  it('exec reports a non-zero exit code, a binary the image lacks, and an RBAC refusal', async () => {
    const failed = await exec('etcd-cp-1', ['etcdctl', ...certFlags, 'get', '--no-such-flag']);
    assert.equal(failed.status.status, 'Failure');
    assert.equal(failed.status.reason, 'NonZeroExitCode');
    assert.equal(failed.status.details?.causes?.[0]?.message, '1');
    assert.match(failed.err, /unknown flag: --no-such-flag/);
    const shell = await exec('etcd-cp-1', ['sh', '-c', 'true']);
    assert.equal(shell.status.status, 'Failure');
    assert.match(shell.status.message ?? '', /exec: "sh": executable file not found in \$PATH/);
    // ws reports a refused upgrade as "Unexpected server response: 403".
    await assert.rejects(exec('etcd-cp-1', ['etcdctl', 'version'], 'viewer@sandbox'), (error: { message?: string }) => /403/.test(String(error.message)));
  });

  it('port-forward reaches the member\'s metrics port', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let body = '';
    output.on('data', (c) => { body += c; });
    const ws = await new PortForward(config()).portForward('kube-system', 'etcd-cp-3', [2381], output, null, input);
    const closed = new Promise((resolve) => (ws as unknown as { on(e: string, f: () => void): void }).on('close', () => resolve(undefined)));
    input.write('GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n');
    await closed;
    assert.match(body, /^HTTP\/1\.0 200 OK/);
    assert.match(body, /\netcd_server_has_leader 1\n/);
  });

  it('serves the metrics API with the real processes\' CPU and memory', async () => {
    const { stdout } = await kubectl('get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods');
    const items = JSON.parse(stdout).items as { metadata: { name: string }; containers: { usage: { cpu: string; memory: string } }[] }[];
    assert.deepEqual(items.map((i) => i.metadata.name), ['etcd-cp-1', 'etcd-cp-2', 'etcd-cp-3']);
    for (const item of items) {
      assert.match(item.containers[0]?.usage.cpu ?? '', /^\d+n$/);
      assert.ok(Number(item.containers[0]?.usage.memory.replace('Ki', '')) > 1024, 'an etcd process uses more than 1 MiB');
    }
  });

  it('a stopped member\'s pod is not ready, and exec into it is refused', async () => {
    const node = sandbox.info.nodes[2];
    assert.ok(node);
    process.kill(node.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const { stdout } = await kubectl('get', 'pod', '-n', 'kube-system', node.pod);
    assert.match(stdout, /etcd-cp-3\s+0\/1\s+CrashLoopBackOff/);
    await assert.rejects(exec(node.pod, ['etcdctl', 'version']), (error: { message?: string }) => /400/.test(String(error.message)));
  });
});
