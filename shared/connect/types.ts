// What connect/ offers the layers above: how to reach the members (ConnectionOptions), the operations on one member
// whatever carries them (MemberOps, through a Transport: gRPC to the endpoints, or etcdctl in the member's pod through
// the Kubernetes API), and the wire facts they return, already converted (ids as hex, int64 as numbers).

export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Accept any server certificate. */
  skipVerify: boolean;
}

export interface Credentials {
  username: string;
  password: string;
}

export interface ConnectionOptions {
  /** Normalised to scheme://host:port. */
  endpoints: string[];
  tls: TlsMaterial;
  auth?: Credentials;
  dialTimeoutMs: number;
  commandTimeoutMs: number;
  /** Explicit metrics URLs, one per endpoint in the same order; otherwise each member's client URL + /metrics. */
  metricsUrls?: string[];
  /** Use the endpoints as given instead of discovering members from the member list (etcdctl without --cluster). */
  discover: boolean;
  /** How members are reached; gRPC to the endpoints when absent. */
  transport?: Transport;
}

export interface HttpReply {
  status: number;
  body: string;
}

export interface MemberInfo {
  /** Lowercase hex, as etcdctl prints it. */
  id: string;
  name: string;
  clientUrls: string[];
  peerUrls: string[];
  isLearner: boolean;
}

export interface MemberStatus {
  version: string;
  dbSize: number;
  dbSizeInUse: number;
  leaderId: string;
  raftTerm: number;
  raftIndex: number;
  raftAppliedIndex: number;
  errors: string[];
  isLearner: boolean;
  revision: number;
  clusterId: string;
  memberId: string;
  /** 3.6+: the version of the database file (null when the member does not say). */
  storageVersion: string | null;
  /** 3.6+: the backend quota the member applies, in bytes (null when it does not say; then read the metric). */
  quotaBytes: number | null;
  /** 3.6+: a downgrade under way, to this version. */
  downgrade: { targetVersion: string } | null;
}

export interface Alarm {
  memberId: string;
  alarm: 'NOSPACE' | 'CORRUPT' | string;
}

export type LockAttempt = { acquired: true; release(): Promise<void> } | { acquired: false; holder: string };

/** A snapshot written where the member runs (Kubernetes: inside its pod, on the node's disk through a hostPath). */
export interface NodeSnapshot {
  /** The path inside the pod, and where that is on the node. */
  path: string;
  node: string;
  nodePath: string;
  bytes: number;
  revision: number;
  /** etcdctl snapshot status' hash of the saved database (it opened and read it). */
  hash: string;
  keys: number;
}

/** One message of a snapshot stream: its bytes, what remains (when etcd says), and the revision (etcd 3.5+, else 0). */
export interface SnapshotChunk {
  blob: Buffer;
  remainingBytes: number | null;
  revision: number;
}

export interface MemberOps {
  readonly endpoint: string;
  /** Fails fast, with a precise cause, when the member cannot be reached at all. */
  reachable(): Promise<void>;
  status(): Promise<MemberStatus>;
  /** etcdctl's endpoint health: a linearizable read (serializable on a learner). */
  health(learner: boolean): Promise<void>;
  alarms(): Promise<Alarm[]>;
  memberList(): Promise<{ clusterId: string; members: MemberInfo[] }>;
  /** Physical compaction to `revision` (the call returns once this member has compacted). */
  compact(revision: number, deadlineMs: number): Promise<void>;
  defragment(deadlineMs: number): Promise<void>;
  /** Asked of the leader: hand leadership to the member with this (hex) id. */
  moveLeader(targetId: string): Promise<void>;
  /** Disarms NOSPACE for the member with this (hex) id. */
  disarmNospace(memberId: string): Promise<void>;
  /** Puts `key` = `value` under a lease of `ttlSeconds` kept alive until release, unless the key exists. */
  lock(key: string, value: string, ttlSeconds: number): Promise<LockAttempt>;
  /** The value of one key (null when it does not exist): etcd-perf's own records, such as the last maintenance. */
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
  /** Where the stream can reach us (gRPC): the member's snapshot, message by message, until it ends or `signal` aborts it. */
  streamSnapshot?(onChunk: (chunk: SnapshotChunk) => void, signal: AbortSignal): Promise<void>;
  /** Only where the member's own machine can hold the file (Kubernetes): save a snapshot there and verify it. */
  snapshotOnNode?(path: string, deadlineMs: number, replace: boolean): Promise<NodeSnapshot>;
  close(): void;
}

export interface Transport {
  readonly kind: 'grpc' | 'kubernetes';
  /**
   * How long a cluster-wide request (the member list) waits for one member before asking the next as well: a little
   * over the transport's usual answer time, so a slow member is worked around and a normal one is asked alone.
   */
  readonly hedgeMs: number;
  open(endpoint: string, options: ConnectionOptions): MemberOps;
  /** The text of a member's /metrics (the member known by its client endpoint). */
  metricsText(endpoint: string, metricsUrl: string, options: ConnectionOptions): Promise<string>;
  /** A GET of another path of the member's metrics listener (/readyz), answered with any status. */
  httpGet(endpoint: string, url: string, options: ConnectionOptions): Promise<HttpReply>;
  /** How the members are deployed, when the transport can tell (Kubernetes: pod specs, events, nodes, usage). */
  deployment?(options: ConnectionOptions): Promise<DeploymentReading>;
  /** The members' own logs over the last `logSeconds`, when the transport can read them (Kubernetes). */
  logs?(options: ConnectionOptions, logSeconds: number): Promise<PodLog[]>;
}

/** One member's log as read through its pod (`name` says where, e.g. "pod kube-system/etcd-cp-1"), or why not. */
export type PodLog = { name: string; pod: string } & ({ text: string } | { error: string });

export interface PodEventSummary {
  type: string;
  reason: string;
  message: string;
  count: number;
  last?: string;
}

/** One etcd pod as the API server describes it: its spec (flags, resources, volumes), state, events and usage. */
export interface PodFacts {
  pod: string;
  namespace: string;
  node: string;
  /** The member's name (--name), as the member list says it. */
  member: string;
  endpoint: string;
  running: boolean;
  state: string;
  restarts: number;
  lastTermination?: string;
  flags: Record<string, string>;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  mounts: { mountPath: string; source: string; hostPath?: string }[];
  nodeMemoryBytes?: number;
  usage?: { cpuCores: number; memoryBytes: number };
  events: PodEventSummary[];
}

/** What the API server knows of the etcd pods; each part is read on its own, and a part that failed says why. */
export interface DeploymentReading {
  kind: 'kubernetes';
  context: string;
  namespace: string;
  pods: PodFacts[];
  /** Why pod CPU and memory are unknown (no metrics API, or not allowed). */
  usageError?: string;
  eventsError?: string;
  nodesError?: string;
}
