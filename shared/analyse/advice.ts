// What to do about each kind of trouble, in one place: `check`'s findings and the alert rules' runbook hints say the same.

export const ADVICE = {
  requestLatency: 'Requests wait on the server: look for large ranges (lists of big resources without pagination: kubectl etcd-perf keyspace), a slow disk (WAL fsync, backend commit) or an overloaded member (CPU, pending proposals).',
  walFsync: 'Put the etcd data dir (at least member/wal) on a dedicated SSD/NVMe with low fsync latency (kubectl etcd-perf bench disk; p99 < 10 ms), mount it noatime, and keep other I/O off that disk.',
  backendCommit: 'Backend commits are slow: use a faster disk for the data dir, defragment if the DB is large and fragmented (kubectl etcd-perf maintain), and check for noisy neighbours on the disk.',
  quota: 'Compact and defragment, one member at a time, leader last (kubectl etcd-perf maintain); find what fills the keyspace (kubectl etcd-perf keyspace); raise --quota-backend-bytes (at most 8 GiB) only if the data really needs the room.',
  dbSize: 'Large databases slow snapshots, restarts and defragmentation: find what fills it (kubectl etcd-perf keyspace), shorten event TTLs (kube-apiserver --event-ttl=1h), and compact regularly.',
  defragment: 'Defragment one member at a time, leader last: kubectl etcd-perf maintain (it compacts first and refuses when a member is unhealthy).',
  growth: 'Find what writes so much (kubectl etcd-perf keyspace; often events or a runaway controller), make sure compaction runs (kube-apiserver compacts every 5 minutes), then defragment (kubectl etcd-perf maintain).',
  noLeader: 'Without a leader the cluster takes no writes: make sure a quorum of members is running and can reach each other on the peer port (2380).',
  leaderChanges: 'Frequent elections mean missed heartbeats: check disk fsync and peer RTT (kubectl etcd-perf check); if RTT is high, raise --heartbeat-interval and --election-timeout (>= 10x heartbeat) on every member.',
  memberDown: 'Check the etcd process and its log on that host (kubectl -n kube-system logs etcd-<node>, or journalctl -u etcd), its disk space, and that its client and peer ports are reachable.',
  proposalsFailed: 'Proposals fail during elections and quorum loss: see leader changes and peer RTT; check that members are not restarting.',
  slowRequests: 'Slow requests come from a slow disk (see WAL fsync and backend commit), expensive ranges (large lists without pagination), or an overloaded member: look for "apply request took too long" in its log (kubectl etcd-perf logs).',
  peerRtt: 'Keep members in one data centre (RTT < 1 ms ideal); otherwise set --heartbeat-interval to about the worst RTT and --election-timeout to at least 10x that on every member (kubectl etcd-perf check recommends values).',
} as const;
