// etcd's own logs, as the signs of trouble they record: slow applies and reads ("took too long"), slow WAL syncs
// ("slow fdatasync", 3.4 text: "sync duration of"), late heartbeats, leader elections and lost leaders, a full
// sending buffer, NOSPACE, and how long compactions and defragmentations took. Both formats etcd writes: zap JSON
// lines (3.5+, and 3.4 with --logger=zap) and 3.4's capnslog text (with raft's own "raftYYYY/MM/DD" lines). Pure.

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
}

export interface LogKindSummary {
  count: number;
  first?: string;
  last?: string;
  worstMs?: number;
}

export interface LogSummary {
  lines: number;
  format: 'json' | 'text' | 'mixed' | 'empty';
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

function classify(message: string): LogEventKind | undefined {
  if (/failed to send out heartbeat on time/.test(message)) return 'heartbeat-late';
  if (/slow fdatasync|sync duration of/.test(message)) return 'slow-fdatasync';
  // Not "waiting for ReadIndex response took too long, retrying": a retry, not a slow request.
  if (/took too long [([]|apply (request|entries) took too long/.test(message)) return 'slow-apply';
  if (/elected leader/.test(message)) return 'leader-elected';
  if (/lost leader/.test(message)) return 'leader-lost';
  if (/sending buffer is full/.test(message)) return 'sending-buffer-full';
  if (/database space exceeded|NOSPACE/.test(message)) return 'nospace';
  if (/finished scheduled compaction/.test(message)) return 'compaction';
  if (/^defragmented$|finished defragmenting the storage backend/.test(message)) return 'defrag';
  return undefined;
}

const DEFRAG_START = /^starting defragment$|starting to defragment the storage backend/;

interface Line {
  time?: string;
  message: string;
  fields: Record<string, unknown>;
}

function parseJsonLine(text: string): Line | undefined {
  try {
    const entry = JSON.parse(text) as Record<string, unknown>;
    if (typeof entry.msg !== 'string') return undefined;
    const ts = typeof entry.ts === 'string' ? entry.ts : typeof entry.ts === 'number' ? new Date(entry.ts * 1000).toISOString() : undefined;
    return { time: ts ? new Date(ts).toISOString() : undefined, message: entry.msg, fields: entry };
  } catch {
    return undefined;
  }
}

function parseTextLine(text: string): Line {
  // capnslog: "2026-11-24 09:09:43.432728 W | wal: message"; raft: "raft2026/11/24 09:09:39 INFO: message".
  let m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) [A-Z] \| (.*)$/.exec(text);
  if (m) return { time: new Date(`${m[1]}T${m[2]}Z`).toISOString(), message: m[3] as string, fields: {} };
  m = /^raft(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) [A-Z]+: (.*)$/.exec(text);
  if (m) return { time: new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}Z`).toISOString(), message: m[5] as string, fields: {} };
  // Kubernetes' timestamps=true prefix, or no time at all.
  m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (.*)$/.exec(text);
  if (m) return { ...parseTextLine(m[2] as string), time: new Date(m[1] as string).toISOString() };
  return { message: text, fields: {} };
}

function durationOf(kind: LogEventKind, line: Line): number | undefined {
  const f = line.fields;
  if (kind === 'heartbeat-late') {
    return goDurationMs(f['exceeded-duration'] as string) ?? goDurationMs(/timeout for ([\d.]+\w+)/.exec(line.message)?.[1]);
  }
  if (kind === 'slow-fdatasync') return goDurationMs(f.took as string) ?? goDurationMs(/sync duration of ([\d.]+\w+)/.exec(line.message)?.[1]);
  if (kind === 'slow-apply') {
    return goDurationMs(f.took as string) ?? goDurationMs(/took too long \(([\d.]+\w+)\)/.exec(line.message)?.[1])
      ?? goDurationMs(/took too long \[([\d.]+\w+) for/.exec(line.message)?.[1]);
  }
  if (kind === 'compaction' || kind === 'defrag') return goDurationMs(f.took as string) ?? goDurationMs(/\(took ([\d.]+\w+)\)/.exec(line.message)?.[1]);
  return undefined;
}

/** A slow request's own words: the request and the expected duration (zap fields, or 3.4's quoted text). */
function requestOf(line: Line): Pick<LogEvent, 'expectedMs' | 'request'> {
  const f = line.fields;
  if (typeof f.request === 'string') {
    const expectedMs = goDurationMs(f['expected-duration'] as string);
    return { request: `${typeof f.prefix === 'string' ? f.prefix : ''}${f.request}`.trim(), ...(expectedMs !== undefined ? { expectedMs } : {}) };
  }
  // capnslog: 'etcdserver: read-only range request "key:\\"health\\" " with result "..." took too long (1s) to execute'.
  const quoted = /^(?:[\w.-]+: )?(.*?)request "(.*)" with result ".*" took too long/.exec(line.message);
  if (quoted) return { request: `${quoted[1] as string}${(quoted[2] as string).replace(/\\"/g, '"')}`.trim(), expectedMs: 100 };
  return {};
}

/** Every sign of trouble in the log, in order. A text-format defragmentation's duration is taken from its start line. */
export function parseEtcdLog(text: string): { events: LogEvent[]; lines: number; format: LogSummary['format'] } {
  const events: LogEvent[] = [];
  let json = 0;
  let plain = 0;
  let defragStarted: string | undefined;
  for (const raw of text.split('\n')) {
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    const stamped = /^(\d{4}-\d\d-\d\dT\S+Z) (\{.*)$/.exec(trimmed);
    const asJson = trimmed.startsWith('{') ? parseJsonLine(trimmed) : stamped ? parseJsonLine(stamped[2] as string) : undefined;
    const line = asJson ?? parseTextLine(trimmed);
    if (asJson) json += 1;
    else plain += 1;
    if (DEFRAG_START.test(line.message)) defragStarted = line.time;
    const kind = classify(line.message);
    if (!kind) continue;
    let ms = durationOf(kind, line);
    if (kind === 'defrag' && ms === undefined && defragStarted && line.time) ms = Date.parse(line.time) - Date.parse(defragStarted);
    events.push({ kind, time: line.time, ...(ms !== undefined ? { ms } : {}), ...(kind === 'slow-apply' ? requestOf(line) : {}) });
  }
  const lines = json + plain;
  const format = lines === 0 ? 'empty' : json === 0 ? 'text' : plain === 0 ? 'json' : 'mixed';
  return { events, lines, format };
}

/** Counts, first and last time, and the worst duration of each kind of event. */
export function summariseEvents(events: LogEvent[], lines: number, format: LogSummary['format']): LogSummary {
  const summary: LogSummary = { lines, format, events: {} };
  for (const event of events) {
    const entry = summary.events[event.kind] ?? { count: 0 };
    entry.count += 1;
    if (event.time) {
      if (!entry.first || event.time < entry.first) entry.first = event.time;
      if (!entry.last || event.time > entry.last) entry.last = event.time;
    }
    if (event.ms !== undefined) entry.worstMs = Math.max(entry.worstMs ?? 0, Math.round(event.ms * 1000) / 1000);
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
  format: LogSummary['format'];
  /** False when it has lines but none in a format etcd writes (the wrong file?). */
  recognised: boolean;
}

/** A line etcd writes: zap JSON with "msg", capnslog "2026-01-02 03:04:05.678 W | pkg: ...", or raft's own "raft2026/01/02 ...". */
const ETCD_LINE = /^(?:\S+Z )?(?:\{.*"msg":|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ [A-Z] \| |raft\d{4}\/\d\d\/\d\d )/m;

export function parseLogSource(source: LogSource): ParsedLog {
  const { events, lines, format } = parseEtcdLog(source.text);
  return { name: source.name, events, lines, format, recognised: lines === 0 || events.length > 0 || ETCD_LINE.test(source.text.slice(0, 100_000)) };
}

export function summariseEtcdLog(text: string): LogSummary {
  const { events, lines, format } = parseEtcdLog(text);
  return summariseEvents(events, lines, format);
}
