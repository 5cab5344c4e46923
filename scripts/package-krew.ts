// npm run package:krew [-- --out DIR --base-url URL]: the krew release of `kubectl etcd-perf`. Packs the single
// executable (npm run build:sea: no Node needed on the user's machine) and LICENSE into a reproducible
// etcd-perf-v<version>-linux-amd64.tar.gz (sorted, owner 0, fixed mtime: the same build gives the same SHA-256), and
// writes the krew manifest from kubectl-plugin/krew/etcd-perf.yaml with that version, uri and sha256 beside it. The
// executable is for the platform it was built on, so only a linux-x64 build makes the archive the manifest names.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';

function main(): void {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist/krew' }, 'base-url': { type: 'string' } } });
  const out = resolve(values.out as string);
  const baseUrl = values['base-url'] ?? `https://github.com/etcd-perf/etcd-perf/releases/download/v${version}`;
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`the manifest is for linux/amd64; this is ${process.platform}-${process.arch}`);
  const files: [string, string][] = [
    ['dist/sea/kubectl-etcd_perf', 'kubectl-etcd_perf'],
    ['LICENSE', 'LICENSE'],
  ];
  for (const [from] of files) {
    if (!existsSync(from)) throw new Error(`${from} is missing: run npm run build:sea first`);
  }
  const stage = mkdtempSync(join(tmpdir(), 'etcd-perf-krew-'));
  try {
    for (const [from, to] of files) copyFileSync(from, join(stage, to));
    chmodSync(join(stage, 'kubectl-etcd_perf'), 0o755);
    mkdirSync(out, { recursive: true });
    const name = `etcd-perf-v${version}-linux-amd64.tar.gz`;
    const archive = join(out, name);
    // gzip -n: no name or time in the gzip header either.
    execFileSync('sh', ['-c', `tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - -C "${stage}" ${files.map(([, to]) => to).join(' ')} | gzip -9n > "${archive}"`]);
    const sha256 = createHash('sha256').update(readFileSync(archive)).digest('hex');
    const manifest = parseDocument(readFileSync('kubectl-plugin/krew/etcd-perf.yaml', 'utf8'));
    manifest.setIn(['spec', 'version'], `v${version}`);
    manifest.setIn(['spec', 'platforms', 0, 'uri'], `${baseUrl}/${name}`);
    manifest.setIn(['spec', 'platforms', 0, 'sha256'], sha256);
    writeFileSync(join(out, 'etcd-perf.yaml'), manifest.toString());
    process.stdout.write(`${archive}\nsha256 ${sha256}\n${join(out, 'etcd-perf.yaml')}\n`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`package:krew: ${(error as Error).message}\n`);
  process.exit(1);
}
