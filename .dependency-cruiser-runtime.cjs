// The run-time half of the layering test (npm test runs it beside .dependency-cruiser.cjs): imports that vanish when
// compiled (types) are left out, and what stays must not let analyse/ or render/ reach the network, however
// indirectly: they are pure functions over collected data.

module.exports = {
  forbidden: [
    {
      name: 'pure-reaches-network',
      severity: 'error',
      comment: 'analyse/ and render/ are pure: nothing they import may open a socket, a gRPC channel or a Kubernetes client.',
      from: { path: '^shared/(analyse|render)/' },
      to: { path: '^(node:)?(net|tls|http|https|http2|dgram|dns)$|(^|/)node_modules/(@grpc/grpc-js|etcd3|@kubernetes/client-node)/', reachable: true },
    },
  ],
  // The same cruise as .dependency-cruiser.cjs, but of what the compiler leaves.
  options: { ...require('./.dependency-cruiser.cjs').options, tsPreCompilationDeps: false },
};
