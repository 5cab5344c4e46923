// What `report` and the extension's Run Check write: the check's report model as a self-contained HTML page (inline
// CSS and SVG, no script), Markdown to paste into an incident, or the JSON of check -o json.

import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckReport } from '../analyse/report.ts';
import { renderData } from '../render/format.ts';
import { renderHtmlReport } from '../render/html.ts';
import { renderCheckMarkdown } from '../render/markdown.ts';
import { writeFileWhole } from '../util/files.ts';

export type ReportFormat = 'html' | 'markdown' | 'json';

/** "etcd check: <what>", the cluster by the name it is shown under, else by its id. */
export function reportTitle(report: CheckReport, shownAs?: string): string {
  return `etcd check: ${shownAs ?? `cluster ${report.cluster.id ?? '?'}`}`;
}

/** The report as a document; a nonce lets a webview's content security policy allow its styles. */
export function reportDocument(report: CheckReport, format: ReportFormat, options: { title: string; nonce?: string }): string {
  switch (format) {
    case 'html': return renderHtmlReport(report, options);
    case 'markdown': return renderCheckMarkdown(report);
    default: return renderData(report, 'json');
  }
}

const SAVED_AS: ReadonlyArray<[extension: string, format: ReportFormat]> = [['json', 'json'], ['md', 'markdown'], ['html', 'html']];

/** Keeps the report in `dir` as JSON, Markdown and HTML, named by the cluster it is shown as and its time; the path without extension. */
export function keepReport(dir: string, report: CheckReport, shownAs: string): string {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${shownAs.replace(/[^\w.-]/g, '_')}-${report.collectedAt.replace(/[:.]/g, '-')}`);
  for (const [extension, format] of SAVED_AS) writeFileWhole(`${base}.${extension}`, reportDocument(report, format, { title: reportTitle(report, shownAs) }));
  return base;
}

/** The newest report kept in `dir`, with the name it was shown as; undefined when there is none. */
export function newestReport(dir: string): { report: CheckReport; shownAs: string } | undefined {
  const newest = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort().pop() : undefined;
  if (!newest) return undefined;
  return { report: JSON.parse(readFileSync(join(dir, newest), 'utf8')) as CheckReport, shownAs: newest.replace(/-\d{4}-.*$/, '') };
}
