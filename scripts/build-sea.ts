// npm run build:sea: `kubectl-etcd_perf` as one self-contained executable (dist/sea/kubectl-etcd_perf), with Node's own
// single-executable-application support: the one-file bundle scripts/build.mjs makes (dist/sea/etcd-perf-sea.js, the
// Kubernetes client and etcd's compiled .proto inside) and V8's code cache for it go into a blob
// (node --experimental-sea-config), and postject injects the blob into a copy of the Node binary running this script,
// its debug symbols stripped first (104 -> 91 MB). So the executable is for this machine's platform (linux-x64 here)
// and carries this Node's version; it needs no Node on PATH, and only the C libraries Node itself links.

import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function main(): void {
  const bundle = resolve('dist/sea/etcd-perf-sea.js');
  const out = resolve('dist/sea/kubectl-etcd_perf');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build first`);
  if (!readFileSync(process.execPath).includes(FUSE)) throw new Error(`${process.execPath} (Node ${process.version}) has no single-executable fuse: use Node 20.12 or later`);
  const work = mkdtempSync(join(tmpdir(), 'etcd-perf-sea-'));
  try {
    const blob = join(work, 'sea.blob');
    writeFileSync(join(work, 'sea-config.json'), JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }));
    execFileSync(process.execPath, ['--experimental-sea-config', join(work, 'sea-config.json')], { stdio: 'pipe' });
    rmSync(out, { force: true });
    try {
      execFileSync('strip', ['-o', out, process.execPath], { stdio: 'pipe' });
    } catch {
      copyFileSync(process.execPath, out);
    }
    // postject's own warnings on ELF notes it does not name ("Can't find string offset") are noise: shown on failure only.
    execFileSync(process.execPath, [resolve('node_modules/postject/dist/cli.js'), out, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE], { stdio: 'pipe' });
    chmodSync(out, 0o755);
    const version = execFileSync(out, ['--version'], { encoding: 'utf8' }).trim();
    process.stdout.write(`${out} (${process.platform}-${process.arch}, Node ${process.version}, ${(statSync(out).size / 1e6).toFixed(1)} MB): kubectl-etcd_perf ${version}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  const e = error as Error & { stderr?: Buffer };
  process.stderr.write(`build:sea: ${e.message.split('\n')[0]}${e.stderr?.length ? `\n${e.stderr.toString()}` : ''}\n`);
  process.exit(1);
}
