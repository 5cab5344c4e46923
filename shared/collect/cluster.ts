// Collects a ClusterSnapshot: discover members from the member list (like etcdctl --cluster), then read every member in
// parallel through its own client, each call under its own deadline; scrape /metrics at the start and end of the window.
// Expected failures (a dead, frozen or foreign endpoint) become fields of the snapshot, never exceptions.

import { openMember, transportOf } from '../connect/member.ts';
import { sameUrl } from '../connect/options.ts';
import { readLastMaintenance, type LastMaintenance } from './maintenance-record.ts';
import type { Alarm, ConnectionOptions, MemberInfo, MemberOps } from '../connect/types.ts';
import { describeError } from '../util/errors.ts';
import { firstSuccessful } from '../util/hedge.ts';
import { sleepUnlessAborted } from '../util/sleep.ts';
import type { Logger } from '../ports.ts';
import { silentLogger } from '../ports.ts';
import { summariseMetrics } from './member-metrics.ts';
import { readReadiness, scrapeMetrics as scrape } from './metrics.ts';
import { readPrometheus, type PrometheusMember, type PrometheusReading, type PrometheusSource } from './prometheus-source.ts';
import type { Sample } from './prometheus-text.ts';
import { readDeploymentFacts } from './deployment.ts';
import type { ClusterSnapshot, MemberSnapshot } from './types.ts';

export interface CollectOptions {
  /** Milliseconds between the two metrics scrapes; 0 = one scrape, lifetime values. */
  windowMs: number;
  logger?: Logger;
  signal?: AbortSignal;
  /** Also read how the members are deployed (pod specs, events, usage, and logs this far back), when the transport can. */
  deploymentLogSeconds?: number;
  /** Take the members' metrics from this Prometheus server (over its range) instead of scraping them. */
  prometheus?: PrometheusSource;
  /** The window lasts while this runs (e.g. a load test) instead of windowMs; its failure ends the collection. */
  during?: () => Promise<void>;
  /** Also read the last maintenance recorded in etcd (beside the member list, from the same member). */
  lastMaintenance?: boolean;
}

interface Target {
  member: MemberInfo;
  endpoint: string;
  metricsUrl: string;
}

/** A gRPC or dial failure, said as "what failed: why" without library noise; a missed deadline says how long it was. */
export function explain(what: string, error: unknown, deadlineMs?: number): string {
  const cause = describeError(error);
  if (/Received HTTP status code|Protocol error|unexpected HTTP status|Bad Request|HTTP\/1/i.test(cause)) {
    return `${what}: not an etcd gRPC endpoint (${cause})`;
  }
  if (/deadline exceeded/i.test(cause)) return `${what}: no answer within ${deadlineMs === undefined ? 'the deadline' : `${deadlineMs / 1000}s (the command timeout)`}`;
  return `${what}: ${cause}`;
}

interface MemberReads {
  snapshot: MemberSnapshot;
  firstScrape?: Sample[];
  scrapedAt: number;
}

interface ClusterWide {
  clusterId: string;
  members: MemberInfo[];
  /** Undefined when they could not be read (etcd 3.4 reads alarms through raft: not during an election). */
  alarms?: Alarm[];
  lastMaintenance?: LastMaintenance;
  from: string;
}


/** The member list and the alarms: cluster-wide answers, asked of one given endpoint, hedged over the others. */
async function readClusterWide(options: ConnectionOptions, clientFor: (endpoint: string) => () => MemberOps, withLastMaintenance: boolean): Promise<ClusterWide | { error: string }> {
  try {
    const { value } = await firstSuccessful(options.endpoints.map((endpoint) => async () => {
      try {
        const member = clientFor(endpoint)();
        // The member list must not depend on the alarms: etcd 3.4 serves alarms through raft, so they fail while
        // the cluster elects a leader, exactly when the member list (served locally) matters most.
        const [list, alarms, lastMaintenance] = await Promise.all([
          member.memberList(), member.alarms().catch(() => undefined), withLastMaintenance ? readLastMaintenance(member) : undefined,
        ]);
        return { ...list, alarms, ...(lastMaintenance ? { lastMaintenance } : {}), from: endpoint };
      } catch (error) {
        throw new Error(explain(endpoint, error, options.commandTimeoutMs));
      }
    }), transportOf(options).hedgeMs);
    return value;
  } catch (error) {
    return { error: (error as AggregateError).errors.map((e: Error) => e.message).join('; ') };
  }
}

/** What one member says of itself, all requests at once: status, health and metrics. */
async function readMember(target: Target, options: ConnectionOptions, client: () => MemberOps, scrapeIt = true): Promise<MemberReads> {
  const snapshot: MemberSnapshot = { member: target.member, endpoint: target.endpoint, metricsUrl: target.metricsUrl, healthy: false };
  const scrapedAt = Date.now();
  if (target.endpoint === '') {
    snapshot.error = 'member has not started yet (no client URL in the member list)';
    return { snapshot, scrapedAt };
  }
  // The dial runs beside the requests. A failed dial ends this member's reads at once (bounded by --dial-timeout, not
  // --command-timeout), and its cause (refused, TLS, timeout) says more than gRPC's.
  const member = client();
  const started = Date.now();
  const dialFailure = member.reachable().then(() => undefined, (error: unknown) => ({ error }));
  const requests = Promise.allSettled([
    member.status(),
    member.health(target.member.isLearner).then(() => Date.now() - started),
    scrapeIt ? scrape(target.endpoint, target.metricsUrl, options) : Promise.reject(new Error('not scraped')),
    scrapeIt ? readReadiness(target.endpoint, target.metricsUrl, options) : Promise.reject(new Error('not read')),
  ]);
  type Settled = Awaited<typeof requests>;
  const first = await Promise.race<Settled | { error: unknown }>([
    requests,
    dialFailure.then((failure): Settled | { error: unknown } | Promise<Settled> => failure ?? requests),
  ]);
  const failure = !Array.isArray(first) ? first : first.slice(0, 3).every((r) => r.status === 'rejected') ? await dialFailure : undefined;
  if (failure || !Array.isArray(first)) {
    snapshot.error = explain('unreachable', failure?.error, options.commandTimeoutMs);
    return { snapshot, scrapedAt };
  }
  const [status, health, scraped, readiness] = first;
  // /readyz: null when the member does not serve it (before 3.4.29 / 3.5.11); unread when its listener did not answer.
  if (readiness?.status === 'fulfilled') snapshot.readiness = readiness.value;
  if (status.status === 'fulfilled') snapshot.status = status.value;
  else snapshot.statusError = explain('status', status.reason, options.commandTimeoutMs);
  if (health.status === 'fulfilled') {
    snapshot.healthy = true;
    snapshot.healthTookMs = health.value;
  } else {
    snapshot.healthError = explain('health', health.reason, options.commandTimeoutMs);
  }
  if (status.status === 'rejected' && health.status === 'rejected') snapshot.error = snapshot.statusError;
  if (scraped.status === 'rejected' && scrapeIt) snapshot.metricsError = explain(`metrics ${target.metricsUrl}`, scraped.reason, options.commandTimeoutMs);
  return { snapshot, scrapedAt, firstScrape: scraped.status === 'fulfilled' ? scraped.value : undefined };
}

/** A member known only by the endpoint the user gave (before, or without, the member list). */
function provisional(endpoint: string): MemberInfo {
  return { id: '', name: '', clientUrls: [endpoint], peerUrls: [], isLearner: false };
}

/** The given endpoint's reads that belong to this member, by id or by client URL. */
function matchGiven(member: MemberInfo, given: MemberReads[]): MemberReads | undefined {
  return given.find((g) => g.snapshot.status?.memberId === member.id)
    ?? given.find((g) => member.clientUrls.some((u) => sameUrl(u, g.snapshot.endpoint)));
}

/** Host and port of a URL, as Prometheus names a scrape target's instance. */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** Prometheus' series for this member: by member id (etcd_server_id), else by its metrics URL's host:port. */
function assignPrometheusMetrics(snapshot: MemberSnapshot, reading: PrometheusReading, source: PrometheusSource): void {
  const id = snapshot.member.id || snapshot.status?.memberId || '';
  const match: PrometheusMember | undefined = reading.members.find((m) => id !== '' && m.memberId === id)
    ?? reading.members.find((m) => m.instance === hostOf(snapshot.metricsUrl) || m.instance === hostOf(snapshot.endpoint));
  if (match?.metrics) {
    snapshot.metrics = match.metrics;
    snapshot.metricsUrl = `${source.url} (instance ${match.instance})`;
  } else {
    snapshot.metricsError = `Prometheus at ${source.url} has no series for this member${id ? ` (etcd_server_id ${id})` : ''}; it scrapes ${reading.members.map((m) => m.instance).join(', ')}`;
  }
}

export async function collectCluster(options: ConnectionOptions, collect: CollectOptions): Promise<ClusterSnapshot> {
  const logger = collect.logger ?? silentLogger;
  const clients = new Map<string, MemberOps>();
  const clientFor = (endpoint: string) => (): MemberOps => {
    let client = clients.get(endpoint);
    if (!client) {
      client = openMember(endpoint, options);
      clients.set(endpoint, client);
    }
    return client;
  };
  const readDeployment = () => (collect.deploymentLogSeconds === undefined ? Promise.resolve(undefined)
    : readDeploymentFacts(options, collect.deploymentLogSeconds).catch((error: unknown) => {
      logger.warn(`how the members are deployed could not be read: ${describeError(error)}`);
      return undefined;
    }));
  // With a window, the pods are read as it ends, so a container restarted within it shows; without one, beside the members.
  let deployment = !collect.prometheus && (collect.during || collect.windowMs > 0) ? undefined : readDeployment();
  // Prometheus is asked beside the members; its failure (unreachable, no etcd series) ends the check: the user asked for it.
  const prometheus = collect.prometheus ? readPrometheus(collect.prometheus, logger) : undefined;
  prometheus?.catch(() => undefined);
  try {
    // The given endpoints and the member list are read at once; members found only in the list follow.
    const clusterWide = readClusterWide(options, clientFor, collect.lastMaintenance === true);
    const given = await Promise.all(options.endpoints.map((endpoint, i) => readMember(
      { member: provisional(endpoint), endpoint, metricsUrl: options.metricsUrls?.[i] ?? `${endpoint}/metrics` },
      options, clientFor(endpoint), !collect.prometheus,
    )));
    const listed = await clusterWide;
    let reads: MemberReads[];
    if ('error' in listed) {
      reads = given;
    } else {
      logger.info(`member list from ${listed.from}: ${listed.members.length} members`);
      const members = listed.members;
      const chosen = options.discover ? members : members.filter((m) => matchGiven(m, given));
      reads = await Promise.all(chosen.map(async (member) => {
        const match = matchGiven(member, given);
        if (match) {
          match.snapshot.member = member;
          return match;
        }
        const endpoint = member.clientUrls[0] ?? '';
        return readMember({ member, endpoint, metricsUrl: `${endpoint}/metrics` }, options, clientFor(endpoint), !collect.prometheus);
      }));
      if (!options.discover) reads.push(...given.filter((g) => !reads.includes(g)));
    }
    if (prometheus) {
      const reading = await prometheus;
      for (const { snapshot } of reads) assignPrometheusMetrics(snapshot, reading, collect.prometheus as PrometheusSource);
    } else if (collect.during) {
      await collect.during();
    } else if (collect.windowMs > 0) {
      const started = Math.min(...reads.map((r) => r.scrapedAt));
      logger.info(`measuring for ${collect.windowMs / 1000}s (--window)`);
      await sleepUnlessAborted(started + collect.windowMs - Date.now(), collect.signal);
    }
    deployment ??= readDeployment();
    await Promise.all(reads.map(async ({ snapshot, firstScrape, scrapedAt }) => {
      if (!firstScrape || prometheus) return;
      if (collect.windowMs <= 0 && !collect.during) {
        snapshot.metrics = summariseMetrics(undefined, firstScrape, 0);
        return;
      }
      try {
        const later = await scrape(snapshot.endpoint, snapshot.metricsUrl, options);
        snapshot.metrics = summariseMetrics(firstScrape, later, (Date.now() - scrapedAt) / 1000);
      } catch (error) {
        // Lifetime figures would pass for the window's: no metrics is the honest answer.
        snapshot.metricsError = explain(`metrics ${snapshot.metricsUrl} (second scrape)`, error, options.commandTimeoutMs);
      }
    }));
    const snapshots = reads.map((r) => r.snapshot);
    for (const snapshot of snapshots) {
      if (snapshot.member.id === '' && snapshot.status) snapshot.member.id = snapshot.status.memberId;
    }
    const known = 'error' in listed ? undefined : listed;
    const facts = await deployment;
    return {
      clusterId: known?.clusterId ?? snapshots.find((s) => s.status)?.status?.clusterId ?? null,
      members: snapshots,
      alarms: known?.alarms ?? [],
      alarmsUnknown: known?.alarms === undefined,
      memberListFrom: known?.from,
      memberListError: 'error' in listed ? listed.error : undefined,
      window: prometheus
        ? { seconds: (await prometheus).coveredSeconds, lifetime: false, from: `Prometheus ${collect.prometheus?.url ?? ''}` }
        : { seconds: collect.windowMs / 1000, lifetime: collect.windowMs <= 0 },
      collectedAt: new Date().toISOString(),
      ...(facts ? { deployment: facts } : {}),
      ...(known?.lastMaintenance ? { lastMaintenance: known.lastMaintenance } : {}),
    };
  } finally {
    for (const client of clients.values()) client.close();
  }
}
