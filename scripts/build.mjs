// Bundles the doors with esbuild: dist/kubectl-etcd_perf.js (the kubectl plugin, executable) and, once the extension
// exists, dist/extension.js. etcd3 loads its .proto files at run time from `${__dirname}/../proto`: the bundle is
// pointed at dist/proto instead, and the files are copied there.

import { build } from 'esbuild';
import { chmodSync, cpSync, existsSync, readFileSync } from 'node:fs';

const protoPath = {
  name: 'etcd3-proto-path',
  setup(b) {
    b.onLoad({ filter: /etcd3[\\/]lib[\\/]connection-pool\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const patched = source.replace('`${__dirname}/../proto/rpc.proto`', '`${__dirname}/proto/rpc.proto`');
      if (patched === source) throw new Error('etcd3 proto path not found: check the etcd3 version');
      return { contents: patched, loader: 'js' };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [protoPath],
};

await build({
  ...common,
  entryPoints: ['kubectl-plugin/cli.ts'],
  outfile: 'dist/kubectl-etcd_perf.js',
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync('dist/kubectl-etcd_perf.js', 0o755);

if (existsSync('extension/extension.ts')) {
  await build({ ...common, entryPoints: ['extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
}
cpSync('node_modules/etcd3/proto', 'dist/proto', { recursive: true });
