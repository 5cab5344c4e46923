// The executable `kubectl-etcd_perf`: starts the plugin bundle (etcd-perf.js beside it) through V8's code cache, so
// that after the first run Node neither parses the 1.5 MB bundle nor compiles its functions again. The cache lives in
// $XDG_CACHE_HOME/etcd-perf (or ~/.cache/etcd-perf), keyed by the bundle's size and time, Node's version and flags; a
// stale or foreign cache is rejected by V8 and rewritten. ETCD_PERF_NO_CODE_CACHE=1 turns it off.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { holdYoungGenerationForWalks } from './walk-memory.ts';

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
// Before the bundle loads (see walk-memory.ts), after the code cache is checked (the flags are part of its key).
holdYoungGenerationForWalks(process.argv.slice(2));
const wrapper = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
const bundleModule = { exports: {}, filename: bundle, id: bundle, loaded: false };
wrapper.call(bundleModule.exports, bundleModule.exports, createRequire(bundle), bundleModule, bundle, dirname(bundle));
