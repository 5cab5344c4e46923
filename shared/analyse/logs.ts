// `logs`: etcd's logs (files, stdin or the etcd pods) as a report: per source the signs of trouble with counts (a
// lower bound where zap's sampling dropped lines: `lowerBound`), first and last time and the worst duration; the
// slowest requests with what etcd expected and the request itself; a per-minute timeline over all sources; findings
// from the one catalogue of log signs. Pure.

import { parseLogSource, summariseEvents, type LogEventKind, type LogSource, type LogSummary, type ParsedLog } from '../collect/etcd-log.ts';
import type { ClusterSnapshot } from '../collect/types.ts';
import type { Finding } from './finding.ts';
import { SEVERITY_RANK } from './finding.ts';
import { countInWords, describeWindow, LOG_SIGNS } from './log-signs.ts';

export interface LogsReport {
  sources: Array<{ name: string } & LogSummary>;
  /** The slowest requests over all sources ("took too long"), slowest first. */
  slowestRequests: Array<{ source: string; time: string | null; ms: number; expectedMs: number | null; request: string }>;
  /** Events per minute (UTC, "YYYY-MM-DDTHH:MM"), minutes with none left out; lines zap's sampling dropped are not in them. */
  timeline: Array<{ minute: string } & Partial<Record<LogEventKind, number>>>;
  findings: Finding[];
}

const TOP_REQUESTS = 10;

/** check and report with --log: the given files' signs of trouble as findings (the pods' logs have their own rule). */
export function logFileFindings(cluster: ClusterSnapshot): Finding[] {
  return cluster.logFiles?.length ? analyseParsedLogs(cluster.logFiles).findings : [];
}

export function analyseLogs(sources: LogSource[]): LogsReport {
  return analyseParsedLogs(sources.map(parseLogSource));
}

export function analyseParsedLogs(sources: ParsedLog[]): LogsReport {
  const report: LogsReport = { sources: [], slowestRequests: [], timeline: [], findings: [] };
  const minutes = new Map<string, Partial<Record<LogEventKind, number>>>();
  for (const source of sources) {
    const { events, lines, format } = source;
    const summary = summariseEvents(events, lines, format);
    report.sources.push({ name: source.name, ...summary });
    for (const event of events) {
      if (event.time) {
        const minute = event.time.slice(0, 16);
        const counts = minutes.get(minute) ?? {};
        counts[event.kind] = (counts[event.kind] ?? 0) + (event.count ?? 1);
        minutes.set(minute, counts);
      }
      if (event.kind === 'slow-apply' && event.ms !== undefined) {
        report.slowestRequests.push({ source: source.name, time: event.time ?? null, ms: Math.round(event.ms * 1000) / 1000, expectedMs: event.expectedMs ?? null, request: event.request ?? '' });
      }
    }
    for (const sign of LOG_SIGNS) {
      const entry = summary.events[sign.kind];
      if (!entry || entry.count === 0) continue;
      report.findings.push({
        id: sign.id, category: sign.category, severity: sign.severity, member: source.name,
        title: `${source.name}: ${countInWords(entry)} ${sign.what}`, value: entry.worstMs ?? entry.count, threshold: null,
        evidence: describeWindow(entry), recommendation: sign.recommendation,
      });
    }
    if (!source.recognised) {
      report.findings.push({
        id: 'log-unrecognised', category: 'observability', severity: 'info', member: source.name, title: `${source.name}: no etcd log lines recognised`,
        value: lines, threshold: null, evidence: `${lines} lines, none in a format etcd writes (zap JSON or console, capnslog text), under any wrapper it knows (journald, CRI, Docker, kubectl)`, recommendation: 'Give the log etcd itself writes (journalctl -u etcd, kubectl logs etcd-<node> -n kube-system).',
      });
    }
  }
  report.slowestRequests.sort((a, b) => b.ms - a.ms);
  report.slowestRequests.splice(TOP_REQUESTS);
  report.timeline = [...minutes.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([minute, counts]) => ({ minute, ...counts }));
  report.findings.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  return report;
}
