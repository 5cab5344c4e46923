// Text renderings of the probes' results: `bench disk` and `bench load`. JSON and YAML render the same objects as data.

import type { DiskProbeResult } from '../bench/disk.ts';
import type { LoadResult } from '../bench/load.ts';
import { formatBytes } from '../util/bytes.ts';
import { renderTextTable, wrap } from './table.ts';

const ms = (value: number): string => `${value < 1 ? value.toFixed(3) : value < 100 ? value.toFixed(2) : value.toFixed(0)} ms`;

export function renderDiskText(result: DiskProbeResult, width: number): string {
  const fs = result.filesystem;
  const latency = renderTextTable(
    ['p50', 'p90', 'p99', 'p99.9', 'max', 'IOPS'].map((header, priority) => ({ header, priority, align: 'right' as const })),
    [[ms(result.fdatasync.p50Ms), ms(result.fdatasync.p90Ms), ms(result.fdatasync.p99Ms), ms(result.fdatasync.p999Ms),
      ms(result.fdatasync.maxMs), String(result.iops)]],
    width,
  ).text;
  const lines = [
    `${result.partial ? 'PARTIAL (interrupted): ' : ''}${result.writes} writes of ${result.blockBytes} B, each followed by fdatasync, in ${result.dir} (${result.durationSeconds.toFixed(1)} s)`,
    '',
    'fdatasync latency',
    latency,
    '',
    `${result.verdict.toUpperCase()}: ${result.reasons.join('; ')}`,
    '',
    `filesystem  ${fs.type} on ${fs.source}, mounted at ${fs.mountPoint} (${fs.options.join(',')})`,
    `device      ${fs.blockDevice ?? 'none'}${fs.rotational === null ? '' : fs.rotational ? ', rotational' : ', not rotational'}${fs.scheduler ? `, scheduler ${fs.scheduler}` : ''}`,
    `free        ${formatBytes(fs.freeBytes)} of ${formatBytes(fs.totalBytes)}`,
    ...result.notes.map((note) => `note: ${note}`),
  ];
  return `${lines.join('\n')}\n`;
}

export function renderLoadText(result: LoadResult, width: number): string {
  const what = result.profile ? `profile ${result.profile} (etcdctl check perf's load)` : `workload ${result.workload}`;
  const latency = renderTextTable(
    ['p50', 'p90', 'p99', 'p99.9', 'slowest', 'stddev'].map((header, priority) => ({ header, priority, align: 'right' as const })),
    [[ms(result.latency.p50Ms), ms(result.latency.p90Ms), ms(result.latency.p99Ms), ms(result.latency.p999Ms), ms(result.latency.slowestMs), ms(result.latency.stddevMs)]],
    width,
  ).text;
  const members = renderTextTable(
    [{ header: 'MEMBER', priority: 0 }, { header: 'PUTS', priority: 1, align: 'right' }, { header: 'CPU', priority: 2, align: 'right' },
      { header: 'FSYNC P99', priority: 3, align: 'right' }, { header: 'COMMIT P99', priority: 4, align: 'right' }, { header: 'RTT P99', priority: 5, align: 'right' }],
    result.members.map((m) => [m.name, m.puts === null ? '-' : String(m.puts), m.cpuCores === null ? '-' : `${m.cpuCores.toFixed(2)} cores`,
      m.walFsyncP99Ms === null ? '-' : ms(m.walFsyncP99Ms), m.backendCommitP99Ms === null ? '-' : ms(m.backendCommitP99Ms), m.peerRttP99Ms === null ? '-' : ms(m.peerRttP99Ms)]),
    width,
  ).text;
  const lines = [
    `${result.partial ? 'PARTIAL (interrupted): ' : ''}${what}: ${result.clients} clients on ${result.conns} connections to ${result.endpoints.join(', ')}`,
    `${result.total} requests succeeded, ${result.errors} failed, in ${result.durationSeconds.toFixed(1)} s: ${result.throughput.toFixed(0)}/s${result.targetRate ? ` (target ${result.targetRate}/s)` : ''}`,
    ...(result.warmup.seconds > 0 ? [`after a ${result.warmup.seconds} s warm-up of ${result.warmup.requests} requests, not counted (--warmup)`] : []),
    '',
    latency,
    '',
    'during the run (from the members\' metrics)',
    members,
    `load generator: ${result.client.cpuCores.toFixed(2)} CPU cores${result.client.cpuBound ? ' (CPU-bound)' : ''}; its machine ${(result.client.machineBusy * 100).toFixed(0)}% busy on ${result.client.cores} cores`,
    `  its own stalls: event loop ${ms(result.client.stalls.eventLoopDelayMaxMs)} at most; GC pauses ${ms(result.client.stalls.gcPauseMaxMs)} at most, ${ms(result.client.stalls.gcTotalMs)} in all`,
    '',
    ...result.reasons,
    result.pass ? 'PASS' : 'FAIL',
  ];
  if (result.causes.length) {
    lines.push('', result.pass ? 'seen during the run:' : 'likely causes (seen during the run):');
    for (const cause of result.causes) lines.push(`  ${cause.severity.toUpperCase()} ${cause.title}`, wrap(cause.recommendation, width, '       '));
  }
  if (result.keysLeft) lines.push('', `warning: ${result.keysLeft} keys are left under the prefix: delete them with etcdctl del --prefix`);
  return `${lines.join('\n')}\n`;
}
