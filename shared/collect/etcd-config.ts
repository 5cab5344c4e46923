// etcd configuration from the three places it is written, as one model: flag name -> value, with where the value
// sits in the text (for editor diagnostics and quick fixes, which set a flag in the file's own form). Pure.
//   - a static pod manifest (kubeadm's etcd.yaml): the etcd container's command list, `--name=value` items;
//   - an etcd config file (YAML): `name: value` keys at the top level;
//   - an env file: `ETCD_NAME=value` lines.

import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode, type YAMLMap } from 'yaml';

export type ConfigKind = 'manifest' | 'config-file' | 'env';

export interface Span {
  /** Offsets into the text: the whole entry, and its value. */
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
}

export interface FlagValue {
  value: string;
  span: Span;
}

export interface EtcdConfig {
  kind: ConfigKind;
  flags: Map<string, FlagValue>;
  /** The etcd version the configuration is for, when it says (a manifest's image tag, "3.6.5" of etcd:3.6.5-0). */
  version?: string;
  /** Where a new flag is inserted, and how the inserted text must look (indentation, quoting). */
  insert: { offset: number; render: (flag: string, value: string) => string };
}

const isEtcdCommand = (items: unknown[]): boolean => typeof items[0] === 'string' && /(^|\/)etcd$/.test(items[0] as string);

function manifestConfig(text: string): EtcdConfig | undefined {
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length) return undefined;
  const containers = doc.getIn(['spec', 'containers'], true);
  if (!isSeq(containers)) return undefined;
  for (const container of containers.items) {
    if (!isMap(container)) continue;
    const command = (container as YAMLMap).get('command', true) as YamlNode | undefined;
    if (!isSeq(command)) continue;
    const values = command.items.map((item) => (isScalar(item) ? item.value : undefined));
    if (!isEtcdCommand(values)) continue;
    const flags = new Map<string, FlagValue>();
    for (const item of command.items) {
      if (!isScalar(item) || typeof item.value !== 'string' || !item.range) continue;
      const match = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(item.value);
      if (!match) continue;
      const [start, valueEnd] = item.range;
      const raw = text.slice(start, valueEnd);
      const quote = raw.startsWith('"') || raw.startsWith("'") ? 1 : 0;
      const eq = raw.indexOf('=');
      flags.set(match[1] as string, {
        value: match[2] ?? 'true',
        span: { start, end: valueEnd, valueStart: eq >= 0 ? start + eq + 1 : valueEnd - quote, valueEnd: valueEnd - quote },
      });
    }
    const image = (container as YAMLMap).get('image');
    const tag = typeof image === 'string' ? /:v?(\d+\.\d+\.\d+)[^:/]*$/.exec(image)?.[1] : undefined;
    const last = command.items[command.items.length - 1] as YamlNode | undefined;
    const lastRange = last?.range ?? command.range ?? [0, 0, 0];
    const lineStart = text.lastIndexOf('\n', lastRange[0]) + 1;
    const indent = text.slice(lineStart, lastRange[0]);
    const lineEnd = text.indexOf('\n', lastRange[1]);
    return {
      kind: 'manifest',
      flags,
      ...(tag ? { version: tag } : {}),
      insert: { offset: lineEnd < 0 ? text.length : lineEnd, render: (flag, value) => `\n${indent}--${flag}=${value}` },
    };
  }
  return undefined;
}

const ETCD_KEYS = new Set(['name', 'data-dir', 'listen-client-urls', 'advertise-client-urls', 'initial-cluster', 'quota-backend-bytes', 'heartbeat-interval', 'election-timeout', 'snapshot-count']);

function configFileConfig(text: string): EtcdConfig | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length || !isMap(doc.contents)) return undefined;
  const flags = new Map<string, FlagValue>();
  let known = 0;
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const key = String(pair.key.value);
    if (ETCD_KEYS.has(key)) known += 1;
    const value = pair.value;
    if (!isScalar(value) || !value.range) continue;
    flags.set(key, { value: String(value.value), span: { start: pair.key.range[0], end: value.range[1], valueStart: value.range[0], valueEnd: value.range[1] } });
  }
  if (known < 2) return undefined;
  return {
    kind: 'config-file',
    flags,
    insert: { offset: text.length, render: (flag, value) => `${text.endsWith('\n') || text === '' ? '' : '\n'}${flag}: ${value}\n` },
  };
}

function envConfig(text: string): EtcdConfig | undefined {
  const flags = new Map<string, FlagValue>();
  const line = /^([ \t]*(?:export[ \t]+)?ETCD_([A-Z0-9_]+)[ \t]*=[ \t]*)(.*)$/gm;
  for (let match = line.exec(text); match; match = line.exec(text)) {
    const name = (match[2] as string).toLowerCase().replace(/_/g, '-');
    const start = match.index;
    const valueStart = start + (match[1] as string).length;
    let value = (match[3] as string).replace(/\s+#.*$/, '').trimEnd();
    let valueOffset = valueStart;
    if (/^(["']).*\1$/.test(value)) {
      value = value.slice(1, -1);
      valueOffset += 1;
    }
    flags.set(name, { value, span: { start, end: valueStart + (match[3] as string).length, valueStart: valueOffset, valueEnd: valueOffset + value.length } });
  }
  if (flags.size === 0) return undefined;
  return {
    kind: 'env',
    flags,
    insert: { offset: text.length, render: (flag, value) => `${text.endsWith('\n') || text === '' ? '' : '\n'}ETCD_${flag.toUpperCase().replace(/-/g, '_')}=${value}\n` },
  };
}

/** Flags known only by value (a pod spec from the API server): no text, so no spans; fixes are advice, not edits. */
export function etcdConfigFromFlags(values: Record<string, string>, kind: ConfigKind): EtcdConfig {
  const none: Span = { start: 0, end: 0, valueStart: 0, valueEnd: 0 };
  return {
    kind,
    flags: new Map(Object.entries(values).map(([flag, value]) => [flag, { value, span: none }])),
    insert: { offset: 0, render: (flag, value) => `--${flag}=${value}` },
  };
}

/** The text with `flag` set to `value`: its value replaced where it is, or the flag added in the file's own form. */
export function setFlag(text: string, config: EtcdConfig, flag: string, value: string): string {
  const existing = config.flags.get(flag);
  if (existing) return text.slice(0, existing.span.valueStart) + value + text.slice(existing.span.valueEnd);
  return text.slice(0, config.insert.offset) + config.insert.render(flag, value) + text.slice(config.insert.offset);
}

/** Where a flag's name is written in its entry: "--name" in a manifest, "name:" in a config file, ETCD_NAME in an env file. */
function nameOf(config: EtcdConfig, flag: string): string {
  if (config.kind === 'manifest') return `--${flag}`;
  if (config.kind === 'env') return `ETCD_${flag.toUpperCase().replace(/-/g, '_')}`;
  return flag;
}

/** The text with flag `from` renamed to `to` where it is written, its value set to `value` (a flag etcd renamed). */
export function renameFlag(text: string, config: EtcdConfig, from: string, to: string, value: string): string {
  const entry = config.flags.get(from);
  if (!entry) return setFlag(text, config, to, value);
  const nameAt = text.indexOf(nameOf(config, from), entry.span.start);
  if (nameAt < 0 || nameAt > entry.span.valueStart) return text;
  const nameEnd = nameAt + nameOf(config, from).length;
  return text.slice(0, nameAt) + nameOf(config, to) + text.slice(nameEnd, entry.span.valueStart) + value + text.slice(entry.span.valueEnd);
}

/** The text without `flag`: its whole line goes (an item of the command list, a key, an env line). */
export function removeFlag(text: string, config: EtcdConfig, flag: string): string {
  const entry = config.flags.get(flag);
  if (!entry) return text;
  const lineStart = text.lastIndexOf('\n', entry.span.start - 1) + 1;
  const lineEnd = text.indexOf('\n', entry.span.end);
  return text.slice(0, lineStart) + (lineEnd < 0 ? '' : text.slice(lineEnd + 1));
}

/** Reads whichever of the three forms the text is; undefined when it is no etcd configuration. */
export function readEtcdConfig(text: string, fileName = ''): EtcdConfig | undefined {
  if (/\.env$|(^|\/)etcd(\.conf)?$|\.conf$/.test(fileName) || /^\s*(export\s+)?ETCD_[A-Z_]+=/m.test(text)) {
    const env = envConfig(text);
    if (env) return env;
  }
  if (/^\s*kind:\s*Pod\b/m.test(text)) return manifestConfig(text);
  return configFileConfig(text);
}
