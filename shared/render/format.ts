// Output format dispatch for report-shaped results: table (text), json, yaml, markdown.

import { stringify as toYaml } from 'yaml';
import { UsageError } from '../util/errors.ts';

export const FORMATS = ['table', 'json', 'yaml', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export function parseFormat(text: string): Format {
  const format = text === 'md' ? 'markdown' : text;
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`-o/--output: unknown format "${text}" (choose ${FORMATS.join(', ')})`);
  }
  return format as Format;
}

export function renderData(data: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : toYaml(data, { lineWidth: 0 });
}
