// Collects a ClusterSnapshot: discover members from the member list (like etcdctl --cluster), then read every member in
// parallel through its own client, each call under its own deadline; scrape /metrics at the start and end of the window.
// Expected failures (a dead, frozen or foreign endpoint) become fields of the snapshot, never exceptions.

import { dial, openMemberClient, type MemberClient } from '../connect/member-client.ts';
import { httpGetText } from '../connect/http.ts';
import type { ConnectionOptions } from '../connect/options.ts';
import { describeError } from '../util/errors.ts';
import type { Logger } from '../ports.ts';
import { silentLogger } from '../ports.ts';
import { looksLikeEtcd, summariseMetrics } from './member-metrics.ts';
import { parsePrometheusText, type Sample } from './prometheus-text.ts';
import { readAlarms, readHealth, readMemberList, readStatus } from './rpc.ts';
import type { Alarm, ClusterSnapshot, MemberInfo, MemberSnapshot } from './types.ts';

export interface CollectOptions {
  /** Milliseconds between the two metrics scrapes; 0 = one scrape, lifetime values. */
  windowMs: number;
  logger?: Logger;
  signal?: AbortSignal;
}

interface Target {
  member: MemberInfo;
  endpoint: string;
  metricsUrl: string;
}

/** A gRPC or dial failure, said as "what failed: why" without library noise. */
function explain(what: string, error: unknown): string {
  const cause = describeError(error);
  if (/Received HTTP status code|Protocol error|unexpected HTTP status|Bad Request|HTTP\/1/i.test(cause)) {
    return `${what}: not an etcd gRPC endpoint (${cause})`;
  }
  if (/deadline exceeded/i.test(cause)) return `${what}: no answer within --command-timeout`;
  return `${what}: ${cause}`;
}

async function scrape(url: string, options: ConnectionOptions): Promise<Sample[]> {
  const text = await httpGetText(url, options);
  const samples = parsePrometheusText(text);
  if (!looksLikeEtcd(samples)) throw new Error(`${url} serves no etcd metrics`);
  return samples;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

/** Tries every given endpoint at once; the first member list to arrive wins. */
async function discover(
  options: ConnectionOptions,
  clients: Map<string, MemberClient>,
): Promise<{ clusterId: string; members: MemberInfo[]; from: string } | { error: string }> {
  const errors: string[] = [];
  const attempts = options.endpoints.map(async (endpoint) => {
    try {
      await dial(endpoint, options);
      const client = clients.get(endpoint) ?? openMemberClient(endpoint, options);
      clients.set(endpoint, client);
      const list = await readMemberList(client.client);
      return { ...list, from: endpoint };
    } catch (error) {
      errors.push(explain(endpoint, error));
      throw error;
    }
  });
  try {
    return await Promise.any(attempts);
  } catch {
    return { error: errors.join('; ') };
  }
}

function targetsFor(options: ConnectionOptions, members: MemberInfo[]): Target[] {
  return members.map((member) => {
    const given = options.endpoints.findIndex((e) => member.clientUrls.some((u) => sameUrl(u, e)));
    const endpoint = given >= 0 ? (options.endpoints[given] as string) : (member.clientUrls[0] ?? '');
    const metricsUrl = given >= 0 && options.metricsUrls ? (options.metricsUrls[given] as string) : `${endpoint}/metrics`;
    return { member, endpoint, metricsUrl };
  });
}

function sameUrl(a: string, b: string): boolean {
  const normal = (u: string): string => u.replace(/\/+$/, '').replace('://localhost:', '://127.0.0.1:').toLowerCase();
  return normal(a) === normal(b);
}

async function collectMember(
  target: Target,
  options: ConnectionOptions,
  clients: Map<string, MemberClient>,
  alarms: Alarm[][],
): Promise<{ snapshot: MemberSnapshot; firstScrape?: Sample[]; scrapedAt: number }> {
  const snapshot: MemberSnapshot = { member: target.member, endpoint: target.endpoint, metricsUrl: target.metricsUrl, healthy: false };
  const scrapedAt = Date.now();
  const metricsPromise = target.endpoint === ''
    ? Promise.reject(new Error('member has not started (no client URL)'))
    : scrape(target.metricsUrl, options);
  metricsPromise.catch(() => undefined);
  if (target.endpoint === '') {
    snapshot.error = 'member has not started yet (no client URL in the member list)';
    return { snapshot, scrapedAt };
  }
  try {
    if (!clients.has(target.endpoint)) await dial(target.endpoint, options);
  } catch (error) {
    snapshot.error = explain('unreachable', error);
    return { snapshot, scrapedAt };
  }
  const client = clients.get(target.endpoint) ?? openMemberClient(target.endpoint, options);
  clients.set(target.endpoint, client);
  const learner = target.member.isLearner;
  const started = Date.now();
  const [status, health, alarmList, metrics] = await Promise.allSettled([
    readStatus(client.client),
    readHealth(client.client, learner).then(() => Date.now() - started),
    readAlarms(client.client),
    metricsPromise,
  ]);
  if (status.status === 'fulfilled') snapshot.status = status.value;
  else snapshot.statusError = explain('status', status.reason);
  if (health.status === 'fulfilled') {
    snapshot.healthy = true;
    snapshot.healthTookMs = health.value;
  } else {
    snapshot.healthError = explain('health', health.reason);
  }
  if (alarmList.status === 'fulfilled') alarms.push(alarmList.value);
  if (status.status === 'rejected' && health.status === 'rejected') snapshot.error = snapshot.statusError;
  let firstScrape: Sample[] | undefined;
  if (metrics.status === 'fulfilled') firstScrape = metrics.value;
  else snapshot.metricsError = explain(`metrics ${target.metricsUrl}`, metrics.reason);
  return { snapshot, firstScrape, scrapedAt };
}

export async function collectCluster(options: ConnectionOptions, collect: CollectOptions): Promise<ClusterSnapshot> {
  const logger = collect.logger ?? silentLogger;
  const clients = new Map<string, MemberClient>();
  try {
    let members: MemberInfo[];
    let clusterId: string | null = null;
    let memberListFrom: string | undefined;
    let memberListError: string | undefined;
    const found = await discover(options, clients);
    if ('error' in found) {
      memberListError = found.error;
      members = options.endpoints.map((endpoint) => ({ id: '', name: '', clientUrls: [endpoint], peerUrls: [], isLearner: false }));
    } else {
      clusterId = found.clusterId;
      memberListFrom = found.from;
      members = options.discover
        ? found.members
        : options.endpoints.map((endpoint) =>
          found.members.find((m) => m.clientUrls.some((u) => sameUrl(u, endpoint)))
            ?? { id: '', name: '', clientUrls: [endpoint], peerUrls: [], isLearner: false });
      logger.info(`member list from ${found.from}: ${found.members.length} members`);
    }
    const targets = targetsFor(options, members);
    const alarms: Alarm[][] = [];
    const first = await Promise.all(targets.map((t) => collectMember(t, options, clients, alarms)));
    const snapshots = first.map((f) => f.snapshot);
    if (collect.windowMs > 0) {
      const started = Math.min(...first.map((f) => f.scrapedAt));
      logger.info(`measuring for ${collect.windowMs / 1000}s (--window)`);
      await sleep(started + collect.windowMs - Date.now(), collect.signal);
    }
    await Promise.all(first.map(async ({ snapshot, firstScrape, scrapedAt }) => {
      if (!firstScrape) return;
      if (collect.windowMs <= 0) {
        snapshot.metrics = summariseMetrics(undefined, firstScrape, 0);
        return;
      }
      try {
        const later = await scrape(snapshot.metricsUrl, options);
        snapshot.metrics = summariseMetrics(firstScrape, later, (Date.now() - scrapedAt) / 1000);
      } catch (error) {
        snapshot.metricsError = explain(`metrics ${snapshot.metricsUrl} (second scrape)`, error);
        snapshot.metrics = summariseMetrics(undefined, firstScrape, 0);
      }
    }));
    for (const snapshot of snapshots) {
      if (snapshot.member.id === '' && snapshot.status) snapshot.member.id = snapshot.status.memberId;
    }
    clusterId ??= snapshots.find((s) => s.status)?.status?.clusterId ?? null;
    const unique = new Map(alarms.flat().map((a) => [`${a.memberId}/${a.alarm}`, a]));
    return {
      clusterId,
      members: snapshots,
      alarms: [...unique.values()],
      memberListFrom,
      memberListError,
      window: { seconds: collect.windowMs / 1000, lifetime: collect.windowMs <= 0 },
      collectedAt: new Date().toISOString(),
    };
  } finally {
    for (const client of clients.values()) client.close();
  }
}
