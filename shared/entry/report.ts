// What `report` and the extension's Run Check write: the check's report model as a self-contained HTML page (inline
// CSS and SVG, no script), Markdown to paste into an incident, or the JSON of check -o json.

import type { CheckReport } from '../analyse/report.ts';
import { renderData } from '../render/format.ts';
import { renderHtmlReport } from '../render/html.ts';
import { renderCheckMarkdown } from '../render/markdown.ts';

export const REPORT_FORMATS = ['html', 'markdown', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

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
