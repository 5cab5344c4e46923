// The check report as one self-contained HTML page: inline CSS and SVG charts, no script, no request to anywhere.
// Used by the extension's report view (with a CSP nonce) and `kubectl etcd-perf report`.

import { THRESHOLDS } from '../analyse/thresholds.ts';
import type { CheckReport } from '../analyse/report.ts';
import { formatBytes } from '../util/bytes.ts';
import { formatSecondsAsMs } from '../util/duration.ts';
import { escapeHtml, keyspaceSection, logsSection } from './html-sections.ts';

const escape = escapeHtml;

const COLOURS = { ok: '#2e7d32', info: '#1565c0', warn: '#ef6c00', crit: '#c62828' } as const;

function sizeChart(report: CheckReport): string {
  const members = report.members.filter((m) => m.dbSize !== null);
  const max = Math.max(1, ...members.map((m) => m.dbSize ?? 0));
  const rowHeight = 34;
  const rows = members.map((m, i) => {
    const y = i * rowHeight + 10;
    const total = ((m.dbSize ?? 0) / max) * 400;
    const used = ((m.dbSizeInUse ?? 0) / max) * 400;
    return `<text x="0" y="${y + 15}">${escape(m.name || m.endpoint)}</text>`
      + `<rect x="110" y="${y}" width="${total.toFixed(1)}" height="20" fill="#b0bec5"><title>DB ${escape(formatBytes(m.dbSize ?? 0))}</title></rect>`
      + `<rect x="110" y="${y}" width="${used.toFixed(1)}" height="20" fill="#1565c0"><title>in use ${escape(formatBytes(m.dbSizeInUse ?? 0))}</title></rect>`
      + `<text x="${(115 + total).toFixed(1)}" y="${y + 15}">${escape(formatBytes(m.dbSize ?? 0))} (${Math.round(m.fragmentationPercent ?? 0)}% free)</text>`;
  });
  return `<svg role="img" aria-label="DB size and in-use size per member" width="720" height="${members.length * rowHeight + 20}">${rows.join('')}</svg>`;
}

function latencyChart(report: CheckReport): string {
  const series: Array<[string, 'walFsyncP99Seconds' | 'backendCommitP99Seconds', 'walFsync' | 'backendCommit', number]> = [
    ['WAL fsync p99', 'walFsyncP99Seconds', 'walFsync', THRESHOLDS.walFsyncP99WarnSeconds],
    ['backend commit p99', 'backendCommitP99Seconds', 'backendCommit', THRESHOLDS.backendCommitP99WarnSeconds],
  ];
  const rows: string[] = [];
  let y = 10;
  for (const [label, key, quantile, threshold] of series) {
    const values = report.members.map((m) => m.metrics?.[key] ?? null);
    const max = Math.max(threshold * 2, ...values.map((v) => v ?? 0));
    const scale = (v: number): number => (v / max) * 400;
    rows.push(`<text x="0" y="${y + 12}" font-weight="bold">${escape(label)} (threshold ${escape(formatSecondsAsMs(threshold))})</text>`);
    y += 20;
    report.members.forEach((m, i) => {
      const v = values[i];
      rows.push(`<text x="0" y="${y + 13}">${escape(m.name || m.endpoint)}</text>`);
      if (v !== null && v !== undefined) {
        // A figure from before the window (nothing observed inside it) is history: shown, but not painted as a warning.
        const past = m.metrics?.quantiles[quantile]?.lifetime === true && !report.window.lifetime;
        const colour = past ? COLOURS.info : v > threshold ? COLOURS.warn : COLOURS.ok;
        rows.push(`<rect x="110" y="${y}" width="${Math.max(1, scale(v)).toFixed(1)}" height="16" fill="${colour}"></rect>`
          + `<text x="${(115 + scale(v)).toFixed(1)}" y="${y + 13}">${escape(formatSecondsAsMs(v))}${past ? ' (before the window)' : ''}</text>`);
      } else {
        rows.push(`<text x="110" y="${y + 13}">no data</text>`);
      }
      y += 22;
    });
    rows.push(`<line x1="${(110 + scale(threshold)).toFixed(1)}" x2="${(110 + scale(threshold)).toFixed(1)}" y1="${y - report.members.length * 22 - 2}" y2="${y}" stroke="${COLOURS.crit}" stroke-dasharray="4 3"></line>`);
    y += 12;
  }
  return `<svg role="img" aria-label="latency quantiles against thresholds" width="720" height="${y}">${rows.join('')}</svg>`;
}

export function renderHtmlReport(report: CheckReport, options: { title: string; nonce?: string }): string {
  const nonce = options.nonce ? ` nonce="${escape(options.nonce)}"` : '';
  const csp = `default-src 'none'; img-src data:; style-src ${options.nonce ? `'nonce-${escape(options.nonce)}'` : "'unsafe-inline'"}`;
  const problems = report.findings.filter((f) => f.severity !== 'ok');
  const v = report.verdict;
  const memberRows = report.members.map((m) => `<tr><td>${escape(m.name || '?')}</td><td>${escape(m.endpoint)}</td><td>${escape(m.version ?? '-')}</td>`
    + `<td class="n">${m.dbSize === null ? '-' : escape(formatBytes(m.dbSize))}</td><td class="n">${m.dbSizeInUse === null ? '-' : escape(formatBytes(m.dbSizeInUse))}</td>`
    + `<td class="n">${m.fragmentationPercent === null ? '-' : `${Math.round(m.fragmentationPercent)}%`}</td><td>${m.role === 'down' ? 'unreachable' : m.role}</td></tr>`).join('');
  const findingRows = problems.map((f) => `<tr class="${f.severity}"><td><span class="badge ${f.severity}">${f.severity}</span></td><td>${escape(f.member ?? '')}</td>`
    + `<td>${escape(f.title)}<div class="evidence">${escape(f.evidence)}</div></td><td>${escape(f.recommendation)}</td></tr>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${escape(options.title)}</title>
<style${nonce}>
body{font-family:system-ui,sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}h3{font-size:14px;margin-top:18px}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border-bottom:1px solid #ddd;padding:6px;text-align:left;vertical-align:top}
td.n{text-align:right;white-space:nowrap}td.key{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}.evidence{color:#666;font-size:12px;margin-top:4px}
.badge{padding:2px 6px;border-radius:3px;color:#fff;font-size:11px;text-transform:uppercase}
.badge.crit{background:${COLOURS.crit}}.badge.warn{background:${COLOURS.warn}}.badge.info{background:${COLOURS.info}}
.verdict{padding:10px 14px;border-left:6px solid;margin:12px 0}.verdict.healthy{border-color:${COLOURS.ok}}
.verdict.degraded{border-color:${COLOURS.warn}}.verdict.critical{border-color:${COLOURS.crit}}
svg text{font-size:12px;fill:#333}
</style></head><body>
<h1>${escape(options.title)}</h1>
<p>cluster ${escape(report.cluster.id ?? '?')} · ${report.cluster.memberCount} member${report.cluster.memberCount === 1 ? '' : 's'} · revision ${report.cluster.revision ?? '?'} · collected ${escape(report.collectedAt)} · ${report.window.lifetime ? 'lifetime metrics' : `metrics over ${report.window.seconds}s${report.window.from ? ` from ${escape(report.window.from)}` : ''}`}</p>
<div class="verdict ${v.status}"><strong>${escape(v.status.toUpperCase())}</strong>${v.bottleneck !== 'none' ? ` · likely bottleneck: ${escape(v.bottleneck)}` : ''}<br>${escape(v.summary)}</div>
<h2>Members</h2>
<table><thead><tr><th>member</th><th>endpoint</th><th>version</th><th>DB size</th><th>in use</th><th>fragmentation</th><th>role</th></tr></thead><tbody>${memberRows}</tbody></table>
<h2>DB size and in use</h2>${sizeChart(report)}
<h2>Disk latency</h2>${latencyChart(report)}
<h2>Findings (${problems.length})</h2>
${problems.length ? `<table><thead><tr><th>severity</th><th>member</th><th>finding</th><th>recommendation</th></tr></thead><tbody>${findingRows}</tbody></table>` : '<p>Nothing to look at.</p>'}
${keyspaceSection(report)}
${logsSection(report)}
</body></html>
`;
}
