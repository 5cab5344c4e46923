// etcd's own logs, as the signs of trouble they record: slow requests ("took too long"), slow WAL syncs ("slow
// fdatasync", 3.4 text: "sync duration of"), late heartbeats, leader elections and lost leaders, a full sending
// buffer, NOSPACE (refused writes, the alarm, /health refusing), and how long compactions and defragmentations took.
// Every format etcd writes: zap JSON lines (3.5+ by default, 3.4 with --logger=zap, embedded etcd with its own
// encoder: numeric ts and float-second durations), zap console lines (3.6+ --log-format console), 3.4's capnslog
// text (with raft's own "raftYYYY/MM/DD" lines, and its "[merged N repeated lines in Xs]"), behind whatever wrapped
// them on the way (log-transport.ts: journald, CRI files, Docker json-file, kubectl). zap samples: past the first
// 100 lines of one message in a second it keeps every 100th, so a sign that reached 100 in a second is a lower
// bound, and says so. One odd line (bad JSON, binary, a huge line) is one unrecognised line, never the end. Pure;
// line by line (EtcdLogReader), so a log of any size takes one pass.

import { rfc3339Ms, takeWrapper, unwrap, type Unwrapped } from './log-transport.ts';

export type LogEventKind =
  | 'slow-apply' | 'slow-fdatasync' | 'heartbeat-late' | 'leader-elected' | 'leader-lost' | 'sending-buffer-full'
  | 'nospace' | 'compaction' | 'defrag';

export interface LogEvent {
  kind: LogEventKind;
  /** ISO time, when the line says it. */
  time?: string;
  /** How long it took (or, for a late heartbeat, by how much it was late), in milliseconds. */
  ms?: number;
  /** Slow requests: what etcd expected (zap's expected-duration; 3.4's text says 100 ms in its warning threshold). */
  expectedMs?: number;
  /** Slow requests: the request as etcd logged it (e.g. "read-only range key:\"/registry/pods/\" range_end:..."). */
  request?: string;
  /** How many times it happened, when the line stands for more than one (capnslog's "[merged 6 repeated lines ...]": 6). */
  count?: number;
  /** zap's sampler was dropping this message when it was written (its 100th line or more within a second). */
  sampled?: true;
}

export interface LogKindSummary {
  count: number;
  first?: string;
  last?: string;
  worstMs?: number;
  /** zap's sampling dropped some of these lines (see LogEvent.sampled): there were at least `count`. */
  lowerBound?: true;
}

/** The formats etcd wrote the log in: zap JSON, zap console, capnslog text; several; none recognised; no lines. */
export type LogFormat = 'json' | 'console' | 'text' | 'mixed' | 'unknown' | 'empty';

export interface LogSummary {
  lines: number;
  format: LogFormat;
  events: Partial<Record<LogEventKind, LogKindSummary>>;
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, 'μs': 0.001, ns: 0.000001 };

/** A Go duration ("1.5s", "177.8ms", "84.5µs", "1m2.5s") in milliseconds; undefined if it is not one. */
export function goDurationMs(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|μs|ns)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.trim()) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] as string] ?? 0), 0);
}

/**
 * A duration field in milliseconds, as any zap encoder writes it: a Go duration string (etcd's own "1.2s"), float
 * seconds (zap's production encoder, embedded etcd: 1.2), or whole nanoseconds (zap's nanos encoder: 1200000000).
 */
export function durationFieldMs(value: unknown): number | undefined {
  if (typeof value === 'string') return goDurationMs(value);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  return Number.isInteger(value) && value >= 1e6 ? value / 1e6 : value * 1000;
}

/** A zap ts field in milliseconds since the epoch: ISO 8601 (with or without a zone: UTC) or epoch s, ms or ns. */
function tsMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value < 1e11 ? value * 1000 : value < 1e14 ? value : value / 1e6;
  if (typeof value !== 'string') return undefined;
  return rfc3339Ms(value) ?? (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/.test(value) ? rfc3339Ms(`${value}Z`) : undefined);
}

// The message of each sign. Not "waiting for ReadIndex response took too long, retrying": a retry, not a slow request.
const SIGNS: ReadonlyArray<[LogEventKind, RegExp]> = [
  ['heartbeat-late', /failed to send out heartbeat on time/],
  ['slow-fdatasync', /slow fdatasync|sync duration of/],
  ['slow-apply', /took too long [([]|apply (?:request|entries) took too long/],
  ['leader-elected', /elected leader|changed leader from/],
  ['leader-lost', /lost leader/],
  ['sending-buffer-full', /sending buffer is full/],
  ['compaction', /finished scheduled compaction/],
  ['defrag', /^defragmented$|finished defragmenting the storage backend|^finished defragmenting directory$/],
];

/** NOSPACE in the message or in the alarm or error field: the alarm raised, a write refused, /health refusing. */
const NOSPACE = /database space exceeded|etcdserver: no space|\bNOSPACE\b/;

const DEFRAG_START = /^starting defragment$|starting to defragment the storage backend/;

/** One line as etcd wrote it. */
interface Line {
  format: 'json' | 'console' | 'text';
  timeMs?: number;
  /** The time has no zone (capnslog writes the machine's local time): read as UTC unless a wrapper's stamp says better. */
  zoneless?: boolean;
  /** zap's level and logger name (its sampler counts per logger, level and message). */
  level?: string;
  logger?: string;
  message: string;
  fields: Record<string, unknown>;
}

function jsonLine(text: string): Line | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
  const fields = entry as Record<string, unknown>;
  if (typeof fields.msg !== 'string') return undefined;
  return {
    format: 'json', message: fields.msg, fields, timeMs: tsMs(fields.ts),
    ...(typeof fields.level === 'string' ? { level: fields.level } : {}), ...(typeof fields.logger === 'string' ? { logger: fields.logger } : {}),
  };
}

const ZAP_LEVEL = /^(?:debug|info|warn|error|dpanic|panic|fatal)$/i;

/** zap console: "<time>\t<level>\t[<logger>\t]<caller>\t<message>[\t<fields as JSON>]". */
function consoleLine(text: string): Line | undefined {
  const parts = text.split('\t');
  if (parts.length < 3 || !ZAP_LEVEL.test(parts[1] as string)) return undefined;
  const timeMs = tsMs(parts[0]);
  if (timeMs === undefined) return undefined;
  let fields: Record<string, unknown> = {};
  const last = parts[parts.length - 1] as string;
  if (parts.length > 3 && last.startsWith('{') && last.endsWith('}')) {
    try {
      const parsed = JSON.parse(last) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        fields = parsed as Record<string, unknown>;
        parts.pop();
      }
    } catch {
      // Not fields after all: part of the message.
    }
  }
  const rest = parts.slice(2);
  const message = rest.pop() as string;
  // Before the message: the caller ("pkg/file.go:12"), and before it the logger's name, when it has one.
  const logger = rest.length > 1 && !/\.go:\d+$/.test(rest[0] as string) ? rest[0] : undefined;
  return { format: 'console', timeMs, level: parts[1] as string, message, fields, ...(logger ? { logger } : {}) };
}

const CAPNSLOG = /(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) ([A-Z]) \| (.*)$/;
const RAFT = /^raft(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) [A-Z]+: (.*)$/;
const CONSOLE_START = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)\t/;

/** One line etcd wrote, in any of its formats, where it starts the payload or, after an unknown prefix, anywhere in it. */
function etcdLine(payload: string): Line | undefined {
  if (payload.startsWith('{')) {
    const line = jsonLine(payload);
    if (line) return line;
  }
  let m = RAFT.exec(payload);
  if (m) return { format: 'text', timeMs: Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}Z`), zoneless: true, message: m[5] as string, fields: {} };
  const consoleStart = CONSOLE_START.exec(payload);
  if (consoleStart) {
    const line = consoleLine(payload.slice(consoleStart.index));
    if (line) return line;
  }
  m = payload.includes(' | ') ? CAPNSLOG.exec(payload) : null;
  if (m) return { format: 'text', timeMs: Date.parse(`${m[1]}T${m[2]}Z`), zoneless: true, message: m[4] as string, fields: {} };
  // A JSON line behind a prefix of its own ("talos-cp-1: {...}", a tool's label).
  const brace = payload.indexOf('{"');
  if (brace > 0 && payload.endsWith('}')) return jsonLine(payload.slice(brace));
  return undefined;
}

function durationOf(kind: LogEventKind, line: Line): number | undefined {
  const f = line.fields;
  const inText = (pattern: RegExp): number | undefined => goDurationMs(pattern.exec(line.message)?.[1]);
  if (kind === 'heartbeat-late') return durationFieldMs(f['exceeded-duration']) ?? inText(/timeout for ([\d.]+[a-zµμ]+)/);
  if (kind === 'slow-fdatasync') return durationFieldMs(f.took) ?? inText(/sync duration of ([\d.]+[a-zµμ]+)/);
  if (kind === 'slow-apply') return durationFieldMs(f.took) ?? inText(/took too long \(([\d.]+[a-zµμ]+)\)/) ?? inText(/took too long \[([\d.]+[a-zµμ]+) for/);
  if (kind === 'compaction' || kind === 'defrag') return durationFieldMs(f.took) ?? inText(/\(took ([\d.]+[a-zµμ]+)\)/);
  return undefined;
}

/** A slow request's own words: the request and the expected duration (zap fields, or 3.4's quoted text). */
function requestOf(line: Line): Pick<LogEvent, 'expectedMs' | 'request'> {
  const f = line.fields;
  if (typeof f.request === 'string') {
    const expectedMs = durationFieldMs(f['expected-duration']);
    return { request: `${typeof f.prefix === 'string' ? f.prefix : ''}${f.request}`.trim(), ...(expectedMs !== undefined ? { expectedMs } : {}) };
  }
  // capnslog: 'etcdserver: read-only range request "key:\"health\" " with result "..." took too long (1s) to execute'.
  const start = line.message.indexOf('request "');
  const end = line.message.lastIndexOf('" with result "');
  if (start < 0 || end < start) return {};
  const prefix = line.message.slice(0, start).replace(/^[\w./-]+: /, '');
  return { request: `${prefix}${line.message.slice(start + 'request "'.length, end).replace(/\\"/g, '"')}`.trim(), expectedMs: 100 };
}

function kindsOf(line: Line): LogEventKind[] {
  const kinds = SIGNS.filter(([, pattern]) => pattern.test(line.message)).slice(0, 1).map(([kind]) => kind);
  const said = [line.message, line.fields.alarm, line.fields.error].some((v) => typeof v === 'string' && NOSPACE.test(v));
  if (said && !/disarm/i.test(line.message)) kinds.push('nospace');
  return kinds;
}

/** zap's sampler: per logger, level and message, the first 100 in a second (from the first), then every 100th. */
const SAMPLED_AFTER = 100;
const SAMPLE_TICK_MS = 1000;

/** The largest time a Date holds, in milliseconds either side of the epoch. */
const MAX_DATE_MS = 8.64e15;

/** Lines longer than this are read up to it (etcd writes none; a line this long is not one of its). */
const MAX_LINE = 1024 * 1024;

export interface ParsedEtcdLog {
  events: LogEvent[];
  /** Lines read, parts of a split line counted once. */
  lines: number;
  format: LogFormat;
  /** Lines in a format etcd writes. */
  etcdLines: number;
}

/** Reads a log one line at a time (push), then says what it found (finish). */
export class EtcdLogReader {
  private readonly events: LogEvent[] = [];
  private lines = 0;
  private readonly formats = { json: 0, console: 0, text: 0 };
  private defragStartedMs?: number;
  /** Parts of a line split by the runtime, per stream, with the first part's stamp. */
  private readonly parts = new Map<string, { text: string; stampMs?: number }>();
  private readonly windows = new Map<string, { startMs: number; n: number }>();

  push(raw: string): void {
    const text = raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw.trimEnd();
    if (text.trim() === '') return;
    const outer = takeWrapper(text);
    if (!outer) {
      this.read(unwrap(text));
      return;
    }
    const held = outer.stream ? this.parts.get(outer.stream) : undefined;
    const joined = (held?.text ?? '') + outer.payload;
    if (outer.partial && outer.stream) {
      this.parts.set(outer.stream, { text: joined.slice(0, MAX_LINE), stampMs: held?.stampMs ?? outer.stampMs });
      return;
    }
    if (held && outer.stream) this.parts.delete(outer.stream);
    const inner = unwrap(joined);
    this.read({ payload: inner.payload, wrappers: [outer, ...inner.wrappers], stampMs: held?.stampMs ?? outer.stampMs ?? inner.stampMs });
  }

  finish(): ParsedEtcdLog {
    for (const [stream, held] of this.parts) {
      this.parts.delete(stream);
      const inner = unwrap(held.text);
      this.read({ ...inner, stampMs: held.stampMs ?? inner.stampMs });
    }
    const etcdLines = this.formats.json + this.formats.console + this.formats.text;
    const used = (Object.keys(this.formats) as Array<keyof EtcdLogReader['formats']>).filter((f) => this.formats[f] > 0);
    const format: LogFormat = this.lines === 0 ? 'empty' : used.length === 0 ? 'unknown' : used.length > 1 ? 'mixed' : used[0] as LogFormat;
    return { events: this.events, lines: this.lines, format, etcdLines };
  }

  /** One whole line, its wrappers off: read as etcd's, its signs kept. */
  private read({ payload, stampMs, wrappers }: Unwrapped): void {
    this.lines += 1;
    // etcd 3.4 and older write their text to journald without time or level: the unit says the line is etcd's.
    const line = etcdLine(payload) ?? (wrappers.some((w) => w.unit && /etcd/i.test(w.unit)) ? { format: 'text' as const, message: payload, fields: {} } : undefined);
    if (line) this.formats[line.format] += 1;
    const said: Line = line ?? { format: 'text', message: payload, fields: {} };
    const told = said.timeMs === undefined || (said.zoneless && stampMs !== undefined) ? stampMs : said.timeMs;
    // A time a Date can hold (a ts of 1e300 is none).
    const timeMs = told !== undefined && Math.abs(told) <= MAX_DATE_MS ? told : undefined;
    const time = timeMs !== undefined ? new Date(timeMs).toISOString() : undefined;
    if (DEFRAG_START.test(said.message)) this.defragStartedMs = timeMs;
    const kinds = kindsOf(said);
    if (kinds.length === 0) return;
    const sampled = line && line.format !== 'text' && timeMs !== undefined ? this.sampled(said, timeMs) : false;
    const merged = Number(/ \[merged (\d+) repeated lines in [^\]]+\]$/.exec(said.message)?.[1] ?? 1);
    for (const kind of kinds) {
      let ms = kind === 'nospace' ? undefined : durationOf(kind, said);
      if (kind === 'defrag' && ms === undefined && this.defragStartedMs !== undefined && timeMs !== undefined) ms = timeMs - this.defragStartedMs;
      this.events.push({
        kind, ...(time ? { time } : {}), ...(ms !== undefined ? { ms } : {}), ...(kind === 'slow-apply' ? requestOf(said) : {}),
        ...(merged > 1 ? { count: merged } : {}), ...(sampled ? { sampled: true as const } : {}),
      });
    }
  }

  /** Whether zap's sampler was dropping this line's message when it was written. */
  private sampled(line: Line, timeMs: number): boolean {
    const key = `${line.logger ?? ''}\u0000${line.level ?? ''}\u0000${line.message}`;
    const window = this.windows.get(key);
    if (!window || timeMs >= window.startMs + SAMPLE_TICK_MS || timeMs < window.startMs) {
      this.windows.set(key, { startMs: timeMs, n: 1 });
      return false;
    }
    window.n += 1;
    return window.n >= SAMPLED_AFTER;
  }
}

/** Every sign of trouble in the log, in order. */
export function parseEtcdLog(text: string): ParsedEtcdLog {
  const reader = new EtcdLogReader();
  for (let start = 0; start < text.length;) {
    const end = text.indexOf('\n', start);
    reader.push(text.slice(start, end < 0 ? text.length : end));
    start = end < 0 ? text.length : end + 1;
  }
  return reader.finish();
}

/** Counts, first and last time, and the worst duration of each kind of event. */
export function summariseEvents(events: LogEvent[], lines: number, format: LogFormat): LogSummary {
  const summary: LogSummary = { lines, format, events: {} };
  for (const event of events) {
    const entry = summary.events[event.kind] ?? { count: 0 };
    entry.count += event.count ?? 1;
    if (event.time) {
      if (!entry.first || event.time < entry.first) entry.first = event.time;
      if (!entry.last || event.time > entry.last) entry.last = event.time;
    }
    if (event.ms !== undefined) entry.worstMs = Math.max(entry.worstMs ?? 0, Math.round(event.ms * 1000) / 1000);
    if (event.sampled) entry.lowerBound = true;
    summary.events[event.kind] = entry;
  }
  return summary;
}

export interface LogSource {
  /** A file name, "stdin", or "pod namespace/name". */
  name: string;
  text: string;
}

/** A log read into its events: what collection keeps (the text itself is dropped). */
export interface ParsedLog {
  name: string;
  events: LogEvent[];
  lines: number;
  format: LogFormat;
  /** False when it has lines but none in a format etcd writes and no sign of trouble (the wrong file?). */
  recognised: boolean;
}

export function parseLogSource(source: LogSource): ParsedLog {
  const { events, lines, format, etcdLines } = parseEtcdLog(source.text);
  return { name: source.name, events, lines, format, recognised: lines === 0 || etcdLines > 0 || events.length > 0 };
}

export function summariseEtcdLog(text: string): LogSummary {
  const { events, lines, format } = parseEtcdLog(text);
  return summariseEvents(events, lines, format);
}
