// Text renderings of the probes' results: `bench disk` and `bench load`. JSON and YAML render the same objects as data.

import type { DiskProbeResult } from '../bench/disk.ts';
import { formatBytes } from '../util/bytes.ts';
import { renderTextTable } from './table.ts';

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
