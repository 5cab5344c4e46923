// Results as data: JSON (two-space indented, one trailing newline) or YAML (no line folding).

import { stringify as toYaml } from 'yaml';

export function renderData(data: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : toYaml(data, { lineWidth: 0 });
}
