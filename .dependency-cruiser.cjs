// The layering of the code as a test (npm test runs it): dependencies point one way, no circles. Every import counts
// here, type-only ones too: a layer that names another's types knows it. The layers, from the bottom:
//   util/, ports.ts  <-  connect/  <-  collect/  <-  analyse/  <-  maintain/, bench/, monitor/, render/  <-  entry/
//   <-  the doors (kubectl-plugin/, extension/), which never import each other.
// The doors reach the core through one module, shared/entry/index.ts (and demo/). What must not reach the network at
// all (analyse/, render/) is checked on the run-time graph by .dependency-cruiser-runtime.cjs.

const layer = (name) => `^shared/${name}/`;
const ABOVE = {
  util: ['connect', 'collect', 'analyse', 'maintain', 'bench', 'monitor', 'render', 'entry', 'demo'],
  connect: ['collect', 'analyse', 'maintain', 'bench', 'monitor', 'render', 'entry', 'demo'],
  collect: ['analyse', 'maintain', 'bench', 'monitor', 'render', 'entry', 'demo'],
  analyse: ['maintain', 'bench', 'monitor', 'render', 'entry', 'demo'],
  maintain: ['bench', 'monitor', 'render', 'entry', 'demo'],
  bench: ['maintain', 'monitor', 'render', 'entry', 'demo'],
  monitor: ['maintain', 'bench', 'render', 'entry', 'demo'],
  render: ['entry', 'demo'],
  entry: ['demo'],
};

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A circle of imports makes its modules one unit that can only change together.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-to-door',
      severity: 'error',
      comment: 'shared/ is the core: the doors import it, never the other way.',
      from: { path: '^shared/' },
      to: { path: '^(kubectl-plugin|extension)/' },
    },
    {
      name: 'core-to-door-framework',
      severity: 'error',
      comment: 'shared/ imports neither door\'s framework.',
      from: { path: '^shared/' },
      to: { path: '(^|/)node_modules/(commander|vscode)/|^vscode$' },
    },
    {
      name: 'door-to-door',
      severity: 'error',
      comment: 'The kubectl plugin and the VS Code extension share only the core.',
      from: { path: '^(kubectl-plugin|extension)/' },
      to: { path: '^(kubectl-plugin|extension)/', pathNot: '^$1/' },
    },
    {
      name: 'door-through-entry',
      severity: 'error',
      comment: 'A door reaches the core only through shared/entry/index.ts, everything the doors call in one module (and demo/, the throwaway cluster).',
      from: { path: '^(kubectl-plugin|extension)/' },
      to: { path: '^shared/', pathNot: '^shared/(entry/index\\.ts$|demo/)' },
    },
    ...Object.entries(ABOVE).map(([from, above]) => ({
      name: `${from}-upward`,
      severity: 'error',
      comment: `shared/${from}/ may not import a layer above it (${above.join(', ')}).`,
      from: { path: from === 'util' ? '^shared/(util/|ports\\.ts$)' : layer(from) },
      to: { path: `^shared/(${above.join('|')})/` },
    })),
    {
      name: 'analyse-render-to-connect',
      severity: 'error',
      comment: 'analyse/ and render/ are pure: they may name connect/\'s wire types, never call it.',
      from: { path: '^shared/(analyse|render)/' },
      to: { path: '^shared/connect/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'render-runs-nothing',
      severity: 'error',
      comment: 'render/ turns results into text: it may name the result types of maintain/, bench/ and monitor/, never run them.',
      from: { path: '^shared/render/' },
      to: { path: '^shared/(collect|maintain|bench|monitor)/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|\\.cache)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js', '.json'] },
  },
};
