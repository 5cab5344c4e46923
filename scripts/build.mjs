// Bundles the doors with esbuild: dist/etcd-perf.js (the kubectl plugin) started by dist/kubectl-etcd_perf.js, and once the extension
// exists, dist/extension.js. The bundles need no file beside them: etcd3's .proto files are compiled in (below).

import { build } from 'esbuild';
import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

// etcd3 loads and parses its .proto files when first required. In the bundle, its connection pool instead takes the
// services from shared/connect/grpc/etcd-proto.ts, fed with JSON made here from the same files (see that file for why).
const ETCD3_LOAD = /const packageDefinition = \(0, proto_loader_1\.loadSync\)\(`\$\{__dirname\}\/\.\.\/proto\/rpc\.proto`, \{[^}]*\}\);/;
const etcdProto = {
  name: 'etcd3-precompiled-proto',
  setup(b) {
    b.onResolve({ filter: /^etcd-proto-json$/ }, () => ({ path: 'etcd-proto-json', namespace: 'etcd-proto' }));
    b.onLoad({ filter: /.*/, namespace: 'etcd-proto' }, async () => {
      const { protoJson } = await import('../shared/connect/grpc/etcd-proto.ts');
      return { contents: JSON.stringify(protoJson('node_modules/etcd3/proto/rpc.proto')), loader: 'json' };
    });
    b.onLoad({ filter: /etcd3[\\/]lib[\\/]connection-pool\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!ETCD3_LOAD.test(source)) throw new Error('etcd3 proto loading not found: check the etcd3 version');
      const contents = source.replace(ETCD3_LOAD,
        `const packageDefinition = require(${JSON.stringify(resolve('shared/connect/grpc/etcd-proto.ts'))}).packageDefinitionFromJson(require("etcd-proto-json"));`);
      return { contents, loader: 'js' };
    });
  },
};

// @kubernetes/client-node is large (4.5 MB bundled, ~100 ms to load) and only needed when a command goes through
// Kubernetes: the doors import it dynamically, and the bundles load it from a file of its own beside them.
const kubernetesClient = {
  name: 'kubernetes-client-apart',
  setup(b) {
    // require(), not import(): the launcher runs the bundle as a vm.Script, which has no loader for import().
    b.onResolve({ filter: /^@kubernetes\/client-node$/ }, (args) => (args.kind === 'dynamic-import'
      ? { path: 'kubernetes-client', namespace: 'kubernetes-client' }
      : undefined));
    b.onLoad({ filter: /.*/, namespace: 'kubernetes-client' }, () => ({ contents: "module.exports = require('./kubernetes-client.js');", loader: 'js' }));
    b.onResolve({ filter: /^\.\/kubernetes-client\.js$/ }, () => ({ path: './kubernetes-client.js', external: true }));
  },
};

rmSync('dist', { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [etcdProto, kubernetesClient],
};

await build({
  ...common,
  plugins: [],
  // The same names as ClientNodeShipped in shared/connect/kubernetes/api.ts.
  stdin: { contents: "export { CoreV1Api, CustomObjectsApi, Exec, KubeConfig, PortForward, createConfiguration, ServerConfiguration, ResponseContext, wrapHttpLibrary } from '@kubernetes/client-node';", resolveDir: '.', loader: 'js' },
  minify: true,
  outfile: 'dist/kubernetes-client.js',
});

// The plugin itself, and the small executable that starts it through V8's code cache (kubectl-plugin/launcher.ts).
await build({ ...common, entryPoints: ['kubectl-plugin/cli.ts'], outfile: 'dist/etcd-perf.js' });
await build({
  ...common,
  plugins: [],
  sourcemap: false,
  entryPoints: ['kubectl-plugin/launcher.ts'],
  outfile: 'dist/kubectl-etcd_perf.js',
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync('dist/kubectl-etcd_perf.js', 0o755);

// Optional native helpers the Kubernetes client's libraries try to require and do without (ws: bufferutil,
// utf-8-validate; node-fetch: encoding): in the single executable they are absent for sure, and a require of a
// non-built-in module there prints a warning, so they fail as a missing module would, silently.
const OPTIONAL = /^(bufferutil|utf-8-validate|encoding)$/;
const optionalAbsent = {
  name: 'optional-absent',
  setup(b) {
    b.onResolve({ filter: OPTIONAL }, (args) => ({ path: args.path, namespace: 'optional-absent' }));
    b.onLoad({ filter: /.*/, namespace: 'optional-absent' }, (args) => ({
      contents: `throw Object.assign(new Error("Cannot find module '${args.path}'"), { code: 'MODULE_NOT_FOUND' });`, loader: 'js',
    }));
  },
};

// The single executable's bundle (scripts/build-sea.ts makes the executable): everything in one file, the Kubernetes
// client included, since a single executable can require Node's built-in modules only.
await build({
  ...common, plugins: [etcdProto, optionalAbsent], sourcemap: false, minify: true, entryPoints: ['kubectl-plugin/sea.ts'], outfile: 'dist/sea/etcd-perf-sea.js',
});

if (existsSync('extension/extension.ts')) {
  await build({ ...common, entryPoints: ['extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
}
