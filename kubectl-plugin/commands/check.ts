// `check` and `status`: read every member, analyse, render; the exit code says how bad it is.

import type { Command } from 'commander';
import { atLeast, type Severity } from '../../shared/analyse/finding.ts';
import { runCheck } from '../../shared/check.ts';
import { noMemberReachable, type CheckReport } from '../../shared/report.ts';
import { renderCheckText, renderStatusText } from '../../shared/render/check-text.ts';
import { ansi, plain } from '../../shared/render/colour.ts';
import { parseFormat, renderData } from '../../shared/render/format.ts';
import { renderHtmlReport } from '../../shared/render/html.ts';
import { renderCheckMarkdown, renderStatusMarkdown } from '../../shared/render/markdown.ts';
import type { PrometheusSource } from '../../shared/collect/prometheus-source.ts';
import { parseSelector } from '../../shared/monitor/alerts.ts';
import { parseDuration } from '../../shared/util/duration.ts';
import { isAuthFailure, isForbidden, UsageError } from '../../shared/util/errors.ts';
import { addConnectionFlags, resolveConnection } from '../connection-flags.ts';
import type { Io } from '../io.ts';
import { cliLogger } from '../logger.ts';
import { writeOutput } from '../output-file.ts';
import { EXIT } from '../exit.ts';
import { readInputs } from '../read-input.ts';

function parseFailOn(text: string): Severity {
  if (text !== 'warn' && text !== 'crit') throw new UsageError(`--fail-on: expected warn or crit, got "${text}"`);
  return text;
}

/** The --prometheus-* flags, checked; the request deadline is added once the connection flags are known. */
function prometheusSource(options: Record<string, unknown>): Omit<PrometheusSource, 'timeoutMs'> | undefined {
  if (options.prometheusUrl === undefined) return undefined;
  const url = String(options.prometheusUrl);
  if (!/^https?:\/\/[^/\s]+/.test(url)) throw new UsageError(`--prometheus-url: expected http(s)://host:port, got "${url}"`);
  const rangeMs = parseDuration(String(options.range), '--range');
  if (rangeMs < 60_000) throw new UsageError('--range must be at least 1m (Prometheus needs several scrapes in it)');
  const selector = options.prometheusSelector === undefined ? '' : parseSelector(String(options.prometheusSelector), '--prometheus-selector');
  return { url, rangeSeconds: rangeMs / 1000, selector };
}

type Kind = 'check' | 'status' | 'report';

function parseReportFormat(text: string): 'html' | 'markdown' {
  const format = text === 'md' ? 'markdown' : text;
  if (format !== 'html' && format !== 'markdown') throw new UsageError(`-o/--output: unknown report format "${text}" (choose html or markdown)`);
  return format;
}

async function execute(kind: Kind, options: Record<string, unknown>, io: Io): Promise<number> {
  const format = kind === 'report' ? parseReportFormat(String(options.output)) : parseFormat(String(options.output));
  const failOn = parseFailOn(String(options.failOn ?? 'crit'));
  const source = prometheusSource(options); // bad --prometheus-* flags are said before anything is dialled
  const windowMs = kind !== 'status' ? parseDuration(String(options.window), '--window') : 0;
  const heartbeatMs = parseDuration(String(options.heartbeatInterval ?? '100ms'), '--heartbeat-interval');
  if (heartbeatMs <= 0) throw new UsageError('--heartbeat-interval must be greater than 0');
  const electionMs = parseDuration(String(options.electionTimeout ?? '1000ms'), '--election-timeout');
  if (electionMs <= 0) throw new UsageError('--election-timeout must be greater than 0');
  const logFiles = await readInputs((options.log as string[] | undefined) ?? []);
  const connection = await resolveConnection(options, io.env, cliLogger(io));
  const logger = cliLogger(io);
  // Prometheus evaluates a query over the whole range: allow it a few request deadlines.
  const prometheus = source && { ...source, timeoutMs: connection.commandTimeoutMs * 4 };
  const report = await runCheck(connection, { windowMs, heartbeatMs, electionMs, logger, prometheus, deep: options.deep === true, logFiles });
  const nothingRead = noMemberReachable(report);
  // With nothing read, a table would only repeat the error; data formats still carry the report for scripts.
  if (kind === 'report' && !nothingRead) {
    const text = format === 'html' ? renderHtmlReport(report, { title: `etcd check: cluster ${report.cluster.id ?? '?'}` }) : renderCheckMarkdown(report);
    writeOutput(io, text, options.out, `the ${format === 'html' ? 'HTML' : 'Markdown'} report`);
    return EXIT.ok;
  }
  if (kind !== 'report' && (!nothingRead || format === 'json' || format === 'yaml')) io.stdout(render(kind, report, format as ReturnType<typeof parseFormat>, io));
  if (nothingRead) {
    const errors = report.members.map((m) => ({ endpoint: m.endpoint, cause: (m.error ?? 'no answer').replace(/^(unreachable|status|health): /, '') }));
    if (errors.every((e) => isAuthFailure(e.cause))) {
      io.stderr(`error: ${errors[0]?.cause} (${errors.map((e) => e.endpoint).join(', ')}); check --user and --password\n`);
      return EXIT.usage;
    }
    if (errors.every((e) => isForbidden(e.cause))) {
      io.stderr(`error: ${errors[0]?.cause}\n`);
      return EXIT.usage;
    }
    const causes = new Set(errors.map((e) => e.cause));
    const reasons = causes.size === 1
      ? `${errors.map((e) => e.endpoint).join(', ')}: ${[...causes][0]}`
      : errors.map((e) => `${e.endpoint}: ${e.cause}`).join('; ');
    io.stderr(`error: no member reachable: ${reasons}\n`);
    return EXIT.unreachable;
  }
  if (kind === 'status') return EXIT.ok;
  return report.findings.some((f) => atLeast(f.severity, failOn)) ? EXIT.findings : EXIT.ok;
}

function render(kind: Kind, report: CheckReport, format: ReturnType<typeof parseFormat>, io: Io): string {
  const colour = io.stdoutIsTty && io.env.NO_COLOR === undefined;
  const width = io.stdoutIsTty ? io.columns : 80;
  switch (format) {
    case 'json':
    case 'yaml':
      return renderData(kind === 'status' ? { cluster: report.cluster, members: report.members } : report, format);
    case 'markdown':
      return kind === 'status' ? renderStatusMarkdown(report) : renderCheckMarkdown(report);
    default:
      return kind === 'status' ? renderStatusText(report, { width }) : renderCheckText(report, { width, paint: colour ? ansi : plain });
  }
}

/** What check and report measure with: the window, the heartbeat to judge RTT by, or Prometheus' history. */
function addMeasureFlags(command: Command): Command {
  return addConnectionFlags(command)
    .option('--window <duration>', 'measure latency and counters over this window (0: lifetime counters)', '10s')
    .option('--heartbeat-interval <duration>', 'the cluster\'s --heartbeat-interval, to judge peer RTT (through Kubernetes: read from the pods)', '100ms')
    .option('--election-timeout <duration>', 'the cluster\'s --election-timeout, judged against the RTT and the heartbeat (through Kubernetes: read from the pods)', '1000ms')
    .option('--prometheus-url <url>', 'take the members\' metrics from this Prometheus server (over --range) instead of scraping them')
    .option('--range <duration>', 'with --prometheus-url: how much history to judge latency and counters over', '1h')
    .option('--prometheus-selector <matchers>', 'with --prometheus-url: label matchers for etcd\'s series, e.g. job="etcd"')
    .option('--deep', 'also walk the keyspace after the window (what fills etcd; see kubectl etcd-perf keyspace)')
    .option('--log <file>', 'also read this etcd log file (- for stdin; repeatable): its findings, the timeline of slow events (through Kubernetes the pods\' logs are read anyway)', (file: string, files: string[]) => [...files, file], [] as string[]);
}

export function registerCheck(program: Command, io: Io, done: (code: number) => void): void {
  addMeasureFlags(program.command('check'))
    .description('read every member, find what makes the cluster slow or unsafe, and say what to do')
    .option('-o, --output <format>', 'table, json, yaml or markdown', 'table')
    .option('--fail-on <severity>', 'exit 1 when a finding is at least this severe: warn or crit', 'crit')
    .addHelpText('after', `
Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 bad usage; 3 no member reachable.
Examples:
  kubectl etcd-perf check --endpoints 10.0.0.1:2379 --cacert ca.crt --cert client.crt --key client.key
  kubectl etcd-perf check --prometheus-url http://prometheus.monitoring:9090 --range 6h
  kubectl etcd-perf check --window 0 -o json | jq '.members[] | {name, fragmentationPercent}'`)
    .action(async (options: Record<string, unknown>) => done(await execute('check', options, io)));

  addMeasureFlags(program.command('report'))
    .description('check, as a self-contained HTML page (inline CSS and SVG charts, no network requests) or Markdown to paste into an incident')
    .option('-o, --output <format>', 'html or markdown', 'html')
    .option('--out <file>', 'write to this file instead of stdout')
    .addHelpText('after', `
Exit codes: 0 written; 2 bad usage; 3 no member reachable.
Examples:
  kubectl etcd-perf report --out etcd-report.html
  kubectl etcd-perf report -o markdown --prometheus-url http://prometheus:9090 --range 6h > incident.md`)
    .action(async (options: Record<string, unknown>) => done(await execute('report', options, io)));

  addConnectionFlags(program.command('status'))
    .description('the member table: endpoint, id, version, DB size, in use, fragmentation, leader, raft index, errors')
    .option('-o, --output <format>', 'table, json, yaml or markdown', 'table')
    .addHelpText('after', '\nExit codes: 0 at least one member answered; 2 bad usage; 3 no member reachable.')
    .action(async (options: Record<string, unknown>) => done(await execute('status', options, io)));
}
