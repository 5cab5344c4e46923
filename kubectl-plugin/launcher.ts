// The executable `kubectl-etcd_perf`: starts the plugin bundle (etcd-perf.js beside it) through V8's code cache, so
// that after the first run Node neither parses the 1.5 MB bundle nor compiles its functions again. The cache lives in
// $XDG_CACHE_HOME/etcd-perf (or ~/.cache/etcd-perf), keyed by the bundle's size and time, Node's version and flags; a
// stale or foreign cache is rejected by V8 and rewritten. ETCD_PERF_NO_CODE_CACHE=1 turns it off.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

if (Number(process.versions.node.split('.')[0]) < 20) {
  process.stderr.write(`error: kubectl etcd-perf needs Node.js 20 or later on PATH; this is ${process.version} (https://nodejs.org)\n`);
  process.exit(2);
}

const bundle = join(__dirname, 'etcd-perf.js');
const source = readFileSync(bundle, 'utf8');
const useCache = !process.env.ETCD_PERF_NO_CODE_CACHE;
const stat = statSync(bundle);
const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'etcd-perf');
// V8 rejects a cache made under other flags: they are part of the key, so that differing flags do not keep rewriting it.
const flags = createHash('sha1').update(`${process.execArgv.join(' ')}|${process.env.NODE_OPTIONS ?? ''}`).digest('hex').slice(0, 8);
const cacheFile = join(dir, `code-${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.version}-${process.arch}-${flags}.bin`);

let cachedData: Buffer | undefined;
if (useCache) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
}
const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
if (useCache && (!cachedData || script.cachedDataRejected)) {
  process.once('exit', () => {
    try {
      mkdirSync(dir, { recursive: true });
      const temporary = `${cacheFile}.${process.pid}`;
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
      pruneCaches();
    } catch {
      // A cache that cannot be written only costs start-up time.
    }
  });
}
// Each build of the bundle (an upgrade, a rebuild) keys a new 1.1 MB cache: keep the few most recently written, so
// that two installations used in turn keep theirs and old ones do not pile up.
function pruneCaches(keep = 4): void {
  const caches = readdirSync(dir).filter((name) => /^code-.*\.bin$/.test(name))
    .map((name) => ({ path: join(dir, name), time: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.time - a.time);
  for (const old of caches.slice(keep)) unlinkSync(old.path);
}
// The keyspace walk receives hundreds of megabytes in 4 MiB pages: every page arrives as a few hundred 16 KiB HTTP/2
// chunks and their copy into one message, each Buffer backed by memory outside the V8 heap that is freed only once
// the scavenger collects its wrapper. Left to itself V8 grows the young generation under that allocation rate (to 16
// MiB semi-spaces), scavenges less often, and the process keeps ~50 MB more of dead buffers and their pages: peak RSS
// 142-165 MB for 200,000 keys, against 116-118 MB with the young generation held at its initial size (measured with
// GNU time; `npm run bench:keyspace`). The flag is read each time V8 would grow the new space, so setting it at run
// time works (`--max-semi-space-size` is read only at start), but it must be set before the bundle loads: loading it
// grows the new space already. So it is set here, after the code cache is checked (the flags are part of its key),
// and only for the walk's commands (keyspace, and check or report --deep; a false match only costs a little CPU).
// The extension host is shared with other extensions and is left alone.
const args = process.argv.slice(2);
if (args.includes('keyspace') || args.includes('--deep')) setFlagsFromString('--semi-space-growth-factor=1');
const wrapper = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
const bundleModule = { exports: {}, filename: bundle, id: bundle, loaded: false };
wrapper.call(bundleModule.exports, bundleModule.exports, createRequire(bundle), bundleModule, bundle, dirname(bundle));
