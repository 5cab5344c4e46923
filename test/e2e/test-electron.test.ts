// The @vscode/test-electron suite (test/electron/suite.ts): it needs to download VS Code, which machines without
// internet access cannot. Then the test is skipped and says why; the real VS Code coverage here is vscode.test.ts
// (code-server). Where the download works, the suite runs and must pass.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const ROOT = join(__dirname, '../..');

test('extension wiring in VS Code via @vscode/test-electron', async (t) => {
  let vscodePath: string;
  try {
    // Without a resolver for VS Code's update host, the download can only fail (after retries): ask DNS first.
    await lookup('update.code.visualstudio.com');
    vscodePath = await Promise.race([
      downloadAndUnzipVSCode({ cachePath: join(ROOT, '.cache/vscode-test') }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no download within 5 minutes')), 300_000).unref()),
    ]);
  } catch (error) {
    t.skip(`@vscode/test-electron cannot download VS Code on this machine (${(error as Error).message.split('\n')[0]}); the code-server end-to-end test covers a real VS Code here`);
    return;
  }
  const suite = join(ROOT, '.cache/electron-suite/index.js');
  await build({ entryPoints: [join(__dirname, '../electron/suite.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: suite, external: ['vscode'] });
  const code = await runTests({ vscodeExecutablePath: vscodePath, extensionDevelopmentPath: ROOT, extensionTestsPath: suite, launchArgs: ['--disable-extensions'] });
  assert.equal(code, 0);
});
