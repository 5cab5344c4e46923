// The clusters a user keeps watch on (the VS Code setting etcdPerf.clusters): each named, reached by its endpoints or
// through a kubeconfig context, read together and kept: each one's last status report, or why it could not be read,
// and the worst severity over them all.

import { statusOf, type VerdictStatus } from '../analyse/analyse.ts';
import { worstSeverity } from '../analyse/finding.ts';
import type { CheckReport } from '../analyse/report.ts';
import type { ConnectionOptions } from '../connect/types.ts';
import { connect, type ConnectionRequest } from './connect.ts';

export interface ClusterSpec {
  name: string;
  endpoints?: string[];
  cacert?: string;
  cert?: string;
  key?: string;
  user?: string;
  /** Reach the etcd pods through the API server of this kubeconfig context instead of endpoints. */
  kubernetes?: { context?: string; kubeconfig?: string; namespace?: string; selector?: string };
}

/** The well-formed entries of a list of clusters as a user writes it: a name, and endpoints or kubernetes. */
export function clusterSpecs(value: unknown): ClusterSpec[] {
  return (Array.isArray(value) ? value : []).filter((c): c is ClusterSpec => typeof c === 'object' && c !== null
    && typeof (c as ClusterSpec).name === 'string'
    && (Array.isArray((c as ClusterSpec).endpoints) || (typeof (c as ClusterSpec).kubernetes === 'object' && (c as ClusterSpec).kubernetes !== null)));
}

/** Whether reaching the cluster needs a password the spec does not carry (it is kept apart, never in settings). */
export function needsPassword(spec: ClusterSpec): boolean {
  return !spec.kubernetes && spec.user !== undefined && !spec.user.includes(':');
}

/** How to reach the cluster (only KUBECONFIG and HOME of `env` are read: a spec says the rest itself). */
export function connectCluster(spec: ClusterSpec, password: string | undefined, env: NodeJS.ProcessEnv): Promise<ConnectionOptions> {
  const request: ConnectionRequest = spec.kubernetes
    ? { ...spec.kubernetes, via: 'kubernetes' }
    : { via: 'endpoints', endpoints: (spec.endpoints ?? []).join(','), cacert: spec.cacert, cert: spec.cert, key: spec.key, user: spec.user, password };
  return connect(request, { KUBECONFIG: env.KUBECONFIG, HOME: env.HOME });
}

export interface ClusterState {
  report?: CheckReport;
  /** Why the last reading failed (the report before it, if any, is kept). */
  error?: unknown;
  loading: boolean;
}

/** The clusters' last readings; `read` reads one (a status report), `onError` hears of each failure. */
export class Fleet {
  private readonly states = new Map<string, ClusterState>();
  private refreshing: Promise<void> | undefined;

  constructor(private readonly read: (spec: ClusterSpec) => Promise<CheckReport>, private readonly onError: (name: string, error: unknown) => void = () => undefined) {}

  state(name: string): ClusterState | undefined {
    return this.states.get(name);
  }

  /** Reads every cluster again, in parallel; concurrent calls share one refresh; clusters no longer listed are dropped. */
  refresh(specs: ClusterSpec[]): Promise<void> {
    this.refreshing ??= this.readAll(specs).finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  private async readAll(specs: ClusterSpec[]): Promise<void> {
    for (const name of [...this.states.keys()]) if (!specs.some((s) => s.name === name)) this.states.delete(name);
    await Promise.all(specs.map(async (spec) => {
      const state = this.states.get(spec.name) ?? { loading: true };
      state.loading = true;
      this.states.set(spec.name, state);
      try {
        state.report = await this.read(spec);
        state.error = undefined;
      } catch (error) {
        state.error = error;
        this.onError(spec.name, error);
      } finally {
        state.loading = false;
      }
    }));
  }

  /** The status over every cluster read (critical when one could not be read); undefined before any report. */
  status(): VerdictStatus | undefined {
    const states = [...this.states.values()];
    const reports = states.flatMap((s) => (s.report ? [s.report] : []));
    if (reports.length === 0) return undefined;
    return states.some((s) => s.error !== undefined) ? 'critical' : statusOf(worstSeverity(reports.flatMap((r) => r.findings)));
  }
}
