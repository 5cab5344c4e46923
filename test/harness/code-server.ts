// code-server (a real VS Code in the browser, put here by scripts/ensure-code-server.sh) with the packaged extension
// installed, driven through headless Chromium, for the end-to-end tests.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { freePorts } from '../../shared/demo/ports.ts';

export const CODE_SERVER = join(process.env.ETCD_PERF_CACHE ?? join(homedir(), '.cache/etcd-perf'), 'code-server-4.100.3/node_modules/.bin/code-server');
const VSIX = join(__dirname, '../../dist/etcd-perf.vsix');

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export interface CodeServer {
  page: Page;
  userDataDir: string;
  workspace: string;
  /** The text of every row of the etcd tree (label and description run together). */
  treeRows(): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * code-server with dist/etcd-perf.vsix installed and `etcdPerf.clusters` set, a workspace `prepare` may fill, and the
 * etcd view open in Chromium.
 */
export async function startCodeServer(clusters: object[], prepare: (workspace: string) => void = () => undefined): Promise<CodeServer> {
  const home = mkdtempSync(join(tmpdir(), 'etcd-perf-code-'));
  const [extensions, userDataDir, workspace] = ['extensions', 'user-data', 'workspace'].map((d) => join(home, d)) as [string, string, string];
  for (const dir of [extensions, join(userDataDir, 'User'), workspace]) mkdirSync(dir, { recursive: true });
  prepare(workspace);
  writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify({
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'etcdPerf.refreshSeconds': 0,
    'etcdPerf.clusters': clusters,
  }, null, 2));
  const install = spawnSync(CODE_SERVER, ['--extensions-dir', extensions, '--user-data-dir', userDataDir, '--install-extension', VSIX], { encoding: 'utf8' });
  assert.equal(install.status, 0, `${install.stdout}\n${install.stderr}`);
  const [port] = await freePorts(1);
  const server = spawn(CODE_SERVER, ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry',
    '--extensions-dir', extensions, '--user-data-dir', userDataDir, workspace], { stdio: 'ignore' });
  await waitFor('code-server', async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok ? true : undefined));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.activitybar [aria-label^="etcd" i]').first().click({ timeout: 60_000 });
  return {
    page, userDataDir, workspace,
    treeRows: () => page.locator('.sidebar .monaco-list-row').allInnerTexts(),
    async stop() {
      await browser.close();
      server.kill('SIGTERM');
    },
  };
}
