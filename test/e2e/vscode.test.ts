// The extension in a real VS Code (code-server, driven through headless Chromium): the etcd view lists the members of a
// real fragmented cluster with their real fragmentation, and "Defragment Member" from the context menu defragments
// that member (test/kubeadm/vscode.test.ts drives a Kubernetes context the same way). Screenshots go to
// test-artifacts/ (looked at when writing this test).
// Needs: npm run package (dist/etcd-perf.vsix) and scripts/ensure-code-server.sh, both run by npm test.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { LocalCluster, writeChurn } from '../../shared/demo/local-cluster.ts';
import { runCli } from '../harness/cli.ts';
import type { CheckReport } from '../../shared/analyse/report.ts';
import { snapshotStatus } from '../harness/etcd.ts';
import { startCodeServer, waitFor, type CodeServer } from '../harness/code-server.ts';

const ROOT = join(__dirname, '../..');
const ARTIFACTS = join(ROOT, 'test-artifacts');

let cluster: LocalCluster;
let code: CodeServer;
let page: Page;
let manifestPath: string;
let userDataDir: string;

async function status(): Promise<CheckReport> {
  return JSON.parse((await runCli(['status', '-o', 'json', '--endpoints', cluster.endpoints.join(',')])).stdout) as CheckReport;
}

/** The text of every row of the etcd tree (label and description run together). */
const treeRows = (): Promise<string[]> => code.treeRows();

/** Right-click, wait (VS Code ignores a menu click that comes right after the menu opens), choose the item. */
async function contextMenu(target: ReturnType<Page['locator']>, item: string): Promise<void> {
  await target.click({ button: 'right' });
  await page.waitForTimeout(1000);
  await page.getByRole('menuitem', { name: item }).click();
}

/** Takes the keyboard back from a webview (its iframe keeps keys like Ctrl+P to itself). */
async function focusWorkbench(): Promise<void> {
  await page.evaluate('document.activeElement && document.activeElement.blur()');
}

/** Opens a workspace file through Quick Open, trying again until its tab is the active one. */
async function openFile(name: string): Promise<void> {
  await waitFor(`${name} open in the editor`, async () => {
    await focusWorkbench();
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 3000 });
    await input.fill(name);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 3000 });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 5000 });
    return true;
  }, 30_000);
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  cluster = await LocalCluster.start({ size: 3 });
  await writeChurn(cluster, { rounds: 12 });
  code = await startCodeServer([{ name: 'local', endpoints: cluster.endpoints }], (workspace) => {
    manifestPath = join(workspace, 'etcd.yaml');
    // A manifest for the third member of the real cluster: its real advertised client URL and name.
    const third = cluster.members[2] as LocalCluster['members'][number];
    writeFileSync(join(workspace, 'member.yaml'), readFileSync(join(ROOT, 'test/fixtures/kubeadm-etcd.yaml'), 'utf8')
      .replace('--advertise-client-urls=https://192.168.56.10:2379', `--advertise-client-urls=${third.clientUrl}`)
      .replace('--name=cp-1', `--name=${third.name}`));
    copyFileSync(join(ROOT, 'test/fixtures/kubeadm-etcd.yaml'), manifestPath);
  });
  ({ page, userDataDir } = code);
});

after(async () => {
  await code?.stop();
  await cluster?.dispose();
});

test('the etcd view lists the three members with their real DB size and fragmentation', async () => {
  const rows = await waitFor('three member rows', async () => {
    const texts = await treeRows();
    const members = texts.filter((t) => /^etcd-\d/.test(t) && /frag \d+%/.test(t));
    return members.length === 3 ? members : undefined;
  });
  await page.screenshot({ path: join(ARTIFACTS, 'vscode-tree.png') });
  const truth = await status();
  for (const member of truth.members) {
    const row = rows.find((r) => r.startsWith(member.name)) ?? '';
    const shown = Number(/frag (\d+)%/.exec(row)?.[1]);
    assert.ok(Math.abs(shown - (member.fragmentationPercent ?? 0)) <= 1, `${member.name}: row "${row}" vs ${member.fragmentationPercent}%`);
    assert.match(row, /db \d+(\.\d+)? MiB/);
  }
});

test('right-click a member -> Defragment Member -> Defragment: the member is defragmented and its row updated', async () => {
  const before = await status();
  const target = before.members.find((m) => !m.isLeader) as CheckReport['members'][number];
  await contextMenu(page.locator('.sidebar .monaco-list-row', { hasText: target.name }).first(), 'Defragment Member');
  const confirm = page.getByRole('button', { name: 'Defragment', exact: true });
  await confirm.waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'vscode-confirm.png') });
  await confirm.click();
  const after = await waitFor('the member to shrink', async () => {
    const now = (await status()).members.find((m) => m.name === target.name);
    return now && (now.dbSize ?? Infinity) < (target.dbSize ?? 0) / 2 ? now : undefined;
  });
  assert.ok((after.fragmentationPercent ?? 100) < 10, `${target.name} now ${after.fragmentationPercent}% fragmented`);
  const row = await waitFor('the row to update', async () => {
    const text = (await treeRows()).find((t) => t.startsWith(target.name));
    return text && /frag [0-9]%/.test(text) ? text : undefined;
  });
  assert.match(row, new RegExp(`frag ${Math.round(after.fragmentationPercent ?? 0)}%`));
  const others = (await status()).members.filter((m) => m.name !== target.name);
  assert.ok(others.every((m) => (m.fragmentationPercent ?? 0) > 50), 'only that member was defragmented');
  await page.screenshot({ path: join(ARTIFACTS, 'vscode-after-defrag.png') });
});

test('a quick fix on a kubeadm etcd.yaml sets the recommended flag, and its diagnostic disappears', async () => {
  await openFile('etcd.yaml');
  await page.locator('.monaco-editor .view-line', { hasText: '--election-timeout=300' }).waitFor({ timeout: 30_000 });
  await page.keyboard.press('Control+Shift+M');
  const problems = page.locator('.markers-panel');
  await problems.getByText(/--election-timeout 300 ms is less than 5x/).first().waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'vscode-diagnostics.png') });
  // From the top of the file, the first problem is the election timeout's line.
  await page.locator('.monaco-editor .view-line').first().click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('F8');
  await page.waitForTimeout(500);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+.');
  const fix = page.getByText('Set --election-timeout=1000', { exact: true });
  await fix.waitFor({ timeout: 15_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'vscode-quick-fix.png') });
  // The menu's overlay takes the pointer; as a user would, choose the (only, preferred) fix with Enter.
  await page.waitForTimeout(1000);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+S');
  await waitFor('the file to be saved with the fix', async () => (readFileSync(manifestPath, 'utf8').includes('    - --election-timeout=1000\n') ? true : undefined), 15_000);
  await waitFor('the diagnostic to disappear', async () => ((await problems.getByText(/--election-timeout .* is less than 5x/).count()) === 0 ? true : undefined), 15_000);
  assert.ok((await problems.getByText(/no --listen-metrics-urls/).count()) > 0, 'the other findings stay');
  await page.screenshot({ path: join(ARTIFACTS, 'vscode-after-fix.png') });
});

test('right-click the cluster -> Run Check: the report opens in a webview and is written as HTML, Markdown and JSON', async () => {
  await contextMenu(page.locator('.sidebar .monaco-list-row', { hasText: 'local' }).first(), 'Run Check');
  const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  await report.getByRole('heading', { name: 'etcd check: local' }).waitFor({ timeout: 60_000 });
  await report.getByRole('heading', { name: /^Findings \(\d+\)$/ }).waitFor();
  assert.equal(await report.locator('svg').count(), 2, 'the size and latency charts');
  await page.screenshot({ path: join(ARTIFACTS, 'vscode-report.png') });
  const dir = join(userDataDir, 'User/globalStorage/etcd-perf.etcd-perf/reports');
  const files = existsSync(dir) ? readdirSync(dir) : [];
  for (const ext of ['html', 'md', 'json']) assert.ok(files.some((f) => f.endsWith(`.${ext}`)), `a .${ext} report in ${dir}: ${files.join(', ')}`);
  const json = JSON.parse(readFileSync(join(dir, files.find((f) => f.endsWith('.json')) as string), 'utf8')) as CheckReport;
  assert.deepEqual(json.window, { seconds: 10, lifetime: false });
  assert.equal(json.members.length, 3);
});

test('in a manifest, the editor menu "Run Check for This Member" checks the member it describes', async () => {
  await openFile('member.yaml');
  // The menu acts on the whole file: right-click its first lines, which are always in view.
  const line = page.locator('.monaco-editor .view-line', { hasText: 'kind: Pod' });
  await line.waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1000);
  await contextMenu(line, 'Run Check for This Member');
  const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  await report.getByRole('heading', { name: 'etcd check: etcd-3 (local)' }).waitFor({ timeout: 60_000 });
  const rows = await report.locator('table').first().locator('tbody tr').allInnerTexts();
  assert.equal(rows.length, 1, 'only that member');
  assert.match(rows[0] ?? '', /^etcd-3\s/);
  await page.screenshot({ path: join(ARTIFACTS, 'vscode-this-member.png') });
});

async function palette(command: string): Promise<void> {
  await focusWorkbench();
  await page.keyboard.press('Control+Shift+P');
  await page.waitForTimeout(500);
  await page.keyboard.type(command);
  await page.waitForTimeout(800);
  await page.keyboard.press('Enter');
}

test('"Start Local Demo Cluster" runs the demo cluster and shows its fragmented members; "Stop" removes it', async () => {
  await palette('etcd: Start Local Demo Cluster');
  const rows = await waitFor('the demo cluster in the tree', async () => {
    const texts = await treeRows();
    const at = texts.findIndex((t) => t.startsWith('local demo'));
    const members = at >= 0 ? texts.slice(at + 1, at + 4).filter((t) => /^etcd-\d.*frag (\d+)%/.test(t)) : [];
    return members.length === 3 ? members : undefined;
  }, 90_000);
  for (const row of rows) assert.ok(Number(/frag (\d+)%/.exec(row)?.[1]) > 80, row);
  await page.screenshot({ path: join(ARTIFACTS, 'vscode-demo-cluster.png') });
  await palette('etcd: Stop Local Demo Cluster');
  await waitFor('the demo cluster to go', async () => ((await treeRows()).some((t) => t.startsWith('local demo')) ? undefined : true), 30_000);
});

test('right-click the cluster -> Compact and Defragment Cluster: the plan in a modal, then every member compact', async () => {
  const before = await status();
  assert.ok(before.members.filter((m) => (m.fragmentationPercent ?? 0) > 50).length >= 2, 'members left to defragment');
  await contextMenu(page.locator('.sidebar .monaco-list-row', { hasText: /^local\s*degraded/ }).first(), 'Compact and Defragment Cluster');
  const confirm = page.getByRole('button', { name: 'Compact and Defragment', exact: true });
  await confirm.waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'vscode-maintain-plan.png') });
  await confirm.click();
  const after = await waitFor('every member to be compact', async () => {
    const now = await status();
    return now.members.every((m) => (m.fragmentationPercent ?? 100) < 10) ? now : undefined;
  }, 120_000);
  assert.equal(after.members.length, 3);
  await waitFor('the rows to update', async () => {
    const rows = (await treeRows()).filter((t) => /^etcd-\d/.test(t)).slice(0, 3);
    return rows.every((r) => /frag [0-9]%/.test(r)) ? true : undefined;
  });
  await page.screenshot({ path: join(ARTIFACTS, 'vscode-after-maintain.png') });
});

test('right-click the cluster -> Take Snapshot -> a path: the verified snapshot is written there', async () => {
  const file = join(dirname(manifestPath), 'e2e-snapshot.db');
  await contextMenu(page.locator('.sidebar .monaco-list-row', { hasText: /^local\s*(healthy|degraded|critical)/ }).first(), 'Take Snapshot');
  // code-server's save dialog is VS Code's own: a quick input holding the path.
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  // The dialog fills in its default path asynchronously, and that can overwrite a path typed before it: wait for the
  // default, then type ours until it stays.
  await waitFor('the default path', async () => ((await input.inputValue()).endsWith('.db') ? true : undefined), 10_000);
  await waitFor('our path to stay typed', async () => {
    await input.fill(file);
    await page.waitForTimeout(700);
    return (await input.inputValue()) === file ? true : undefined;
  }, 10_000);
  await page.keyboard.press('Enter');
  await waitFor('the snapshot file', async () => (existsSync(file) ? true : undefined), 30_000);
  await waitFor('the notification', async () => ((await page.locator('.notifications-toasts').innerText()).includes('sha256 verified') ? true : undefined), 30_000);
  await page.screenshot({ path: join(ARTIFACTS, 'vscode-snapshot.png') });
  const saved = snapshotStatus(file);
  const truth = await status();
  assert.equal(saved.revision, truth.cluster.revision, 'the snapshot holds the cluster\'s current revision');
  assert.ok(saved.totalKey >= 2000, `the churn's keys are in it (${saved.totalKey})`);
});

test('right-click the cluster -> Generate Alert Rules: the rules open as YAML; saved, promtool check rules accepts them', async () => {
  const file = join(dirname(manifestPath), 'etcd-perf-local-rules.yaml');
  await contextMenu(page.locator('.sidebar .monaco-list-row', { hasText: /^local\s*(healthy|degraded|critical)/ }).first(), 'Generate Alert Rules');
  await page.locator('.quick-input-widget').getByRole('option', { name: /Rules file/ }).click({ timeout: 10_000 });
  const input = page.locator('.quick-input-widget input');
  await waitFor('the selector, prefilled', async () => ((await input.inputValue()) === 'job=~".*etcd.*"' ? true : undefined), 10_000);
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab', { hasText: 'etcd-perf-local-rules.yaml' }).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'vscode-alert-rules.png') });
  await waitFor('the rules in the editor', async () => (/alert:\s+EtcdWalFsyncSlow/.test((await page.locator('.monaco-editor .view-lines').allInnerTexts()).join('\n')) ? true : undefined), 10_000);
  await page.keyboard.press('Control+S');
  await waitFor('the saved file', async () => (existsSync(file) ? true : undefined), 15_000);
  const checked = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
  assert.equal(checked.status, 0, checked.stdout + checked.stderr);
  assert.match(checked.stdout, /SUCCESS: 16 rules found/);
});

test('a member that is down is shown as down, and its menu offers no "Defragment Member"', async () => {
  const live = page.locator('.sidebar .monaco-list-row', { hasText: /^etcd-2/ }).first();
  await live.click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Defragment Member' }).waitFor({ timeout: 10_000 });
  await page.keyboard.press('Escape');
  cluster.kill(2);
  await palette('etcd: Refresh');
  const down = await waitFor('etcd-3 to show as down', async () => {
    const row = (await treeRows()).find((t) => t.startsWith('etcd-3'));
    return row && /down|unreachable|refused/i.test(row) ? row : undefined;
  }, 60_000);
  await page.locator('.sidebar .monaco-list-row', { hasText: /^etcd-3/ }).first().click({ button: 'right' });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(ARTIFACTS, 'vscode-member-down.png') });
  assert.equal(await page.getByRole('menuitem', { name: 'Defragment Member' }).count(), 0, `no defragment for "${down}"`);
  await page.keyboard.press('Escape');
});
