// `status` and `check` as text for a terminal: the member table, the findings with recommendations, the verdict.

import type { Finding } from '../analyse/finding.ts';
import type { CheckReport } from '../analyse/report.ts';
import { plain, type Paint } from './colour.ts';
import { MEMBER_COLUMNS, memberRows, POD_COLUMNS, podRows } from './member-rows.ts';
import { renderTextTable, wrap } from './table.ts';
import { formatBytes } from '../util/bytes.ts';

export interface TextOptions {
  width: number;
  paint?: Paint;
}

function header(report: CheckReport): string {
  const leader = report.members.find((m) => m.isLeader);
  const parts = [
    `cluster ${report.cluster.id ?? '?'}`,
    `${report.cluster.memberCount} member${report.cluster.memberCount === 1 ? '' : 's'}`,
    `leader ${leader ? leader.name : 'none'}`,
    `revision ${report.cluster.revision ?? '?'}`,
  ];
  return parts.join(' · ');
}

export function renderStatusText(report: CheckReport, options: TextOptions): string {
  const table = renderTextTable(MEMBER_COLUMNS, memberRows(report), options.width);
  const lines = [header(report), '', table.text];
  if (table.hidden.length) lines.push(`(${table.hidden.join(', ')} hidden to fit ${options.width} columns; -o json has everything)`);
  const errors = report.members.filter((m) => m.error);
  for (const m of errors) lines.push(wrap(`${m.name || m.endpoint}: ${m.error}`, options.width, ''));
  return `${lines.join('\n')}\n`;
}

const LABEL: Record<Finding['severity'], string> = { crit: 'CRIT', warn: 'WARN', info: 'INFO', ok: 'OK' };

/** One line on the raft timing against the measured RTT: what it needs, and whether the current values break it. */
export function timingSentence(report: CheckReport): string | undefined {
  const t = report.network.timing;
  if (t.worstRttP99Ms === null) return undefined;
  const source = t.timingFrom === 'assumed' ? 'as given by --heartbeat-interval/--election-timeout' : "the members' flags";
  return `timing: heartbeat ${t.heartbeatMs} ms, election timeout ${t.electionMs} ms (${source}); the worst peer RTT p99 ${t.worstRttP99Ms} ms needs `
    + `heartbeat >= ${t.recommendedHeartbeatMs} ms and election timeout >= ${t.recommendedElectionMs} ms: ${t.problems.length ? t.problems.join('; ') : 'fine'}`;
}

function networkLines(report: CheckReport, width: number): string[] {
  const { pairs } = report.network;
  if (pairs.length === 0) return [];
  const ms = (value: number | null): string => (value === null ? '-' : `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`);
  const table = renderTextTable(
    [{ header: 'FROM', priority: 0 }, { header: 'TO', priority: 0 }, { header: 'RTT P50', priority: 2, align: 'right' },
      { header: 'RTT P99', priority: 1, align: 'right' }, { header: 'PROBES', priority: 3, align: 'right' }],
    pairs.map((p) => [p.from, p.to, ms(p.p50Ms), ms(p.p99Ms), `${p.probes}${p.lifetime ? ' (lifetime)' : ''}`]),
    width,
  );
  return ['Network: peer round trips (each member probes its peers every few seconds)', table.text, wrap(timingSentence(report) ?? '', width, ''), ''];
}

function keyspaceLines(report: CheckReport): string[] {
  const keyspace = report.keyspace;
  if (!keyspace || 'error' in keyspace) return [];
  const top = keyspace.prefixes.slice(0, 5).map((p) => `${p.prefix} ${formatBytes(p.bytes)} (${p.keys} keys)`);
  return [`Keyspace: ${keyspace.totalKeys} keys, ${formatBytes(keyspace.totalBytes)}; largest: ${top.join(', ')} (kubectl etcd-perf keyspace for more)`, ''];
}

export function renderCheckText(report: CheckReport, options: TextOptions): string {
  const paint = options.paint ?? plain;
  const out = [renderStatusText(report, options)];
  if (report.kubernetes) {
    const k = report.kubernetes;
    out.push(`through Kubernetes: context ${k.context}, ${k.pods.length} etcd pods in ${k.namespace}${k.usageError ? ' (CPU and memory unknown: no metrics API)' : ''}`);
    out.push(renderTextTable(POD_COLUMNS, podRows(report), options.width).text, '');
  }
  out.push(...networkLines(report, options.width));
  out.push(...keyspaceLines(report));
  const shown = report.findings.filter((f) => f.severity !== 'ok');
  const passed = report.findings.length - shown.length;
  const windowText = report.window.lifetime ? 'metrics: lifetime counters (--window 0)' : `metrics: last ${report.window.seconds}s${report.window.from ? ` from ${report.window.from}` : ''}`;
  out.push(paint('bold', `Findings`) + ` (${shown.length} to look at, ${passed} checks passed; ${windowText})`);
  for (const f of shown) {
    out.push(`${paint(f.severity, LABEL[f.severity].padEnd(4))}  ${wrap(f.title, options.width, '      ').trimStart()}`);
    out.push(paint('dim', wrap(f.evidence, options.width, '      ')));
    if (f.recommendation) out.push(wrap(`→ ${f.recommendation}`, options.width, '      '));
  }
  const v = report.verdict;
  const status = v.status === 'healthy' ? paint('ok', 'HEALTHY') : v.status === 'degraded' ? paint('warn', 'DEGRADED') : paint('crit', 'CRITICAL');
  out.push('');
  out.push(wrap(`Verdict: ${status}${v.bottleneck !== 'none' ? ` · likely bottleneck: ${v.bottleneck}` : ''}`, options.width, '').trimStart());
  if (v.evidence.length) out.push(wrap(`because: ${v.evidence.join('; ')}`, options.width, '  '));
  return `${out.join('\n')}\n`;
}
