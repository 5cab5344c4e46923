// `watch` against a real cluster: one line per interval when piped; on a real terminal (a pty from script(1)) the
// frame is drawn on the alternate screen and `q` quits cleanly, restoring the screen.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { LocalCluster } from '../../shared/demo/local-cluster.ts';
import { CLI, runCli } from '../harness/cli.ts';

let cluster: LocalCluster;

before(async () => { cluster = await LocalCluster.start({ size: 3 }); });
after(async () => { await cluster?.dispose(); });

async function leaderName(): Promise<string> {
  const status = JSON.parse((await runCli(['status', '-o', 'json', '--endpoints', cluster.endpoints.join(',')])).stdout) as { members: Array<{ name: string; isLeader: boolean }> };
  return status.members.find((m) => m.isLeader)?.name ?? '?';
}

test('piped: one line per interval, with the leader, sizes, and the writes of that interval', async () => {
  const client = cluster.client();
  let writing = true;
  const writer = (async () => { for (let i = 0; writing; i += 1) await client.put(`/watch/${i % 50}`).value('v'.repeat(100)); })();
  try {
    const result = await runCli(['watch', '--interval', '1s', '--count', '2', '--endpoints', cluster.endpoints.join(',')]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2, result.stdout);
    const leader = await leaderName();
    for (const line of lines) {
      assert.match(line, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z leader=${leader} up=3/3 db=[\\d.]+ [KM]iB frag=\\d+% fsync_p99=[\\d.]+ms commit_p99=\\S+ proposals_per_s=([\\d.]+) worst="[^"]*"$`));
      const perSecond = Number(/proposals_per_s=([\d.]+)/.exec(line)?.[1]);
      assert.ok(perSecond > 5, `the writer's proposals are counted (${perSecond}/s)`);
    }
  } finally {
    writing = false;
    await writer;
    client.close();
  }
});

test('on a terminal: redrawn in place on the alternate screen; q quits cleanly and restores the screen', async () => {
  const command = `${process.execPath} ${CLI} watch --interval 1s --endpoints ${cluster.endpoints.join(',')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, COLUMNS: '120', LINES: '30' } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  try {
    while (!/worst: /.test(output)) {
      assert.equal(child.exitCode, null, `watch exited early: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    child.stdin.write('q');
    assert.equal(await exited, 0, 'q ends it with exit code 0');
  } finally {
    clearTimeout(killer);
  }
  assert.ok(output.includes('\x1b[?1049h'), 'enters the alternate screen');
  assert.ok(output.trimEnd().endsWith('\x1b[?25h\x1b[?1049l'), 'and leaves it, cursor shown, as the last thing it prints');
  assert.match(output, /\x1b\[H/, 'redraws from the top');
  assert.match(output, /MEMBER\s+ROLE\s+DB SIZE/);
  for (const member of cluster.members) assert.match(output, new RegExp(`${member.name}\\s+(leader|follower)`));
  assert.match(output, new RegExp(`leader ${await leaderName()}`));
});

test('bad --interval or --count is one line', async () => {
  for (const [args, message] of [
    [['--interval', '100ms'], /^error: --interval must be at least 500ms/],
    [['--interval', 'soon'], /^error: --interval/],
    [['--count', '-1'], /^error: --count: expected a whole number/],
  ] as const) {
    const result = await runCli(['watch', ...args, '--endpoints', cluster.endpoints.join(',')]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, message);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  }
});
