// Parser for the Prometheus text exposition format (version 0.0.4), as etcd's /metrics serves it. Pure: text in, samples out.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export class MetricsParseError extends Error {
  override name = 'MetricsParseError';
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

function parseValue(text: string, line: number): number {
  switch (text) {
    case '+Inf': return Infinity;
    case '-Inf': return -Infinity;
    case 'NaN': return NaN;
    default: {
      const value = Number(text);
      if (text === '' || Number.isNaN(value)) throw new MetricsParseError(`line ${line}: bad sample value "${text.slice(0, 40)}"`);
      return value;
    }
  }
}

function parseLabels(text: string, start: number, line: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start;
  const fail = (): never => { throw new MetricsParseError(`line ${line}: malformed labels`); };
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === ',') i += 1;
    if (text[i] === '}') return { labels, end: i + 1 };
    const name = NAME.exec(text.slice(i))?.[0] ?? fail();
    i += name.length;
    if (text[i] !== '=' || text[i + 1] !== '"') fail();
    i += 2;
    let value = '';
    for (; i < text.length && text[i] !== '"'; i += 1) {
      if (text[i] === '\\') {
        i += 1;
        value += text[i] === 'n' ? '\n' : text[i];
      } else {
        value += text[i];
      }
    }
    if (text[i] !== '"') fail();
    labels[name] = value;
    i += 1;
  }
  return fail();
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
}

function nameEnd(line: string): number {
  let i = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    const isName = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || (i > 0 && c >= 48 && c <= 57);
    if (!isName) break;
    i += 1;
  }
  return i;
}

/**
 * Parses the exposition; throws MetricsParseError naming the first bad line. `prefixes`, when given, keeps only metric
 * names that start with one of them, decided on the raw text before a line is sliced: etcd serves ~1,500 series, most
 * of them gRPC counters that analysis never reads.
 */
export function parsePrometheusText(text: string, prefixes?: readonly string[]): Sample[] {
  const samples: Sample[] = [];
  // First characters of the wanted prefixes: most unwanted lines (grpc_*, go_*) are dropped on one comparison.
  const firsts = prefixes ? new Set(prefixes.map((prefix) => prefix.charCodeAt(0))) : undefined;
  let lineNo = 0;
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo += 1;
    const lineStart = start;
    start = end + 1;
    const first = text.charCodeAt(lineStart);
    if (first === 35 /* # */) continue;
    if (prefixes && firsts && isNameStart(first)
      && (!firsts.has(first) || !prefixes.some((prefix) => text.startsWith(prefix, lineStart)))) continue;
    const raw = text.slice(lineStart, end).trim();
    if (raw === '' || raw.charCodeAt(0) === 35) continue;
    const length = nameEnd(raw);
    if (length === 0) throw new MetricsParseError(`line ${lineNo}: expected a metric name, got "${raw.slice(0, 40)}"`);
    const name = raw.slice(0, length);
    if (prefixes && !prefixes.some((prefix) => name.startsWith(prefix))) continue;
    let rest = raw.slice(length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      const parsed = parseLabels(rest, 1, lineNo);
      labels = parsed.labels;
      rest = rest.slice(parsed.end);
    }
    const fields = rest.trim().split(/\s+/);
    if (fields.length > 2 || fields[0] === '') {
      throw new MetricsParseError(`line ${lineNo}: expected "name{labels} value [timestamp]"`);
    }
    samples.push({ name, labels, value: parseValue(fields[0] as string, lineNo) });
  }
  return samples;
}
