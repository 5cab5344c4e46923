// The extension's wiring (test/electron/suite.ts) inside a real VS Code extension host, the way @vscode/test-electron
// runs extension tests: extensionDevelopmentPath is this checkout, extensionTestsPath the bundled suite, and the host
// reports the suite's exit code. Machines here cannot download VS Code's Electron build, so the suite runs in
// code-server's extension host (the same VS Code, served to headless Chromium, which reports the exit code through
// window.codeAutomationExit). Where VS Code's update host resolves, the suite also runs under @vscode/test-electron.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { freePorts } from '../../shared/demo/ports.ts';
import { CODE_SERVER } from '../harness/code-server.ts';

const ROOT = join(__dirname, '../..');

async function bundleSuite(dir: string): Promise<string> {
  const suite = join(dir, 'suite.js');
  await build({ entryPoints: [join(__dirname, '../electron/suite.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: suite, external: ['vscode'], logLevel: 'error' });
  return suite;
}

test('the extension\'s wiring in code-server\'s extension host: the suite runs there and exits 0', async () => {
  const home = mkdtempSync(join(tmpdir(), 'etcd-perf-host-'));
  const [extensions, userData, workspace] = ['extensions', 'user-data', 'workspace'].map((d) => join(home, d)) as [string, string, string];
  for (const dir of [extensions, join(userData, 'User'), workspace]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(userData, 'User/settings.json'), JSON.stringify({ 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off', 'update.mode': 'none' }));
  const suite = await bundleSuite(home);
  const [port] = await freePorts(1);
  const server = spawn(CODE_SERVER, ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--extensions-dir', extensions, '--user-data-dir', userData], { stdio: 'ignore' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    for (let tries = 0; !(await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)); tries++) {
      assert.ok(tries < 120, 'code-server did not answer within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const page = await browser.newPage();
    const exited = new Promise<number>((resolve) => void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code)));
    const remote = (path: string): string => `vscode-remote://127.0.0.1:${port}${path}`;
    const payload = JSON.stringify([['extensionDevelopmentPath', remote(ROOT)], ['extensionTestsPath', remote(suite)]]);
    const errors: string[] = [];
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    const code = await Promise.race([exited, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('the suite did not finish within 120 s')), 120_000).unref())]);
    assert.equal(code, 0, `the suite failed in the extension host:\n${errors.filter((e) => /assert|etcd|suite/i.test(e)).join('\n')}`);
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  }
});

test('the same suite under @vscode/test-electron, where VS Code can be downloaded', async (t) => {
  let vscodePath: string;
  try {
    // Without a resolver for VS Code's update host, the download can only fail (after retries): ask DNS first.
    await lookup('update.code.visualstudio.com');
    vscodePath = await Promise.race([
      downloadAndUnzipVSCode({ cachePath: join(ROOT, '.cache/vscode-test') }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no download within 5 minutes')), 300_000).unref()),
    ]);
  } catch (error) {
    t.skip(`cannot download VS Code here (${(error as Error).message.split('\n')[0]}); the suite ran in code-server's extension host above`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'etcd-perf-electron-'));
  try {
    const code = await runTests({ vscodeExecutablePath: vscodePath, extensionDevelopmentPath: ROOT, extensionTestsPath: await bundleSuite(dir), launchArgs: ['--disable-extensions'] });
    assert.equal(code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
