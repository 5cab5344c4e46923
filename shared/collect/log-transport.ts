// What a log line passes through between etcd and the user, taken off again: the container runtime's file under
// /var/log/pods (CRI: "<RFC 3339 time> stderr F ", "P" for a line split in parts), Docker's json-file
// ({"log":"...\n","stream":"stderr","time":"..."}, a line split in parts has no final "\n"), `kubectl logs
// --timestamps` ("<RFC 3339 time> "), `kubectl logs --prefix` ("[pod/name/container] "), and journald or syslog
// ("Jan 10 07:55:33 host unit[pid]: ", or journalctl -o short-iso's "2024-01-10T07:55:33+0000 host unit[pid]: ").
// Wrappers can nest; each is taken off in turn. Pure.

export type Transport = 'cri' | 'docker' | 'kubectl' | 'journald';

export interface Wrapper {
  transport: Transport;
  /** What the wrapper carries. */
  payload: string;
  /** The time the wrapper stamped, in milliseconds since the epoch, when it says its zone (journald's short form does not). */
  stampMs?: number;
  /** The runtime's stream (CRI: stdout or stderr; Docker: one), which parts of a split line continue. */
  stream?: string;
  /** A part of a line the runtime split: the next line of the same stream continues it. */
  partial?: true;
  /** journald: the unit (syslog identifier) that wrote the line ("etcd", "k3s"). */
  unit?: string;
}

const RFC3339 = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)`;
const CRI = new RegExp(String.raw`^(${RFC3339}) (stdout|stderr) ([FP])(?: (.*))?$`);
const KUBECTL_STAMP = new RegExp(String.raw`^(${RFC3339}) (.*)$`);
const KUBECTL_PREFIX = /^\[pod\/[^\]/]+\/[^\]]+\] (.*)$/;
// Journald's short forms name the month in the machine's locale ("Jan", "feb", "Mär"); short-iso has a zone.
const JOURNALD_SHORT = /^\p{L}{3,4}\.? {1,2}\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)? \S+ ([^\s:[\]]+)(?:\[\d+\])?: (.*)$/u;
const JOURNALD_ISO = new RegExp(String.raw`^(${RFC3339}) \S+ ([^\s:[\]]+)(?:\[\d+\])?: (.*)$`);

/** Milliseconds since the epoch of an RFC 3339 time with its zone ("+0100" too); undefined if it is not one. */
export function rfc3339Ms(text: string): number | undefined {
  if (!/(?:Z|[+-]\d\d:?\d\d)$/.test(text)) return undefined;
  const ms = Date.parse(text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : ms;
}

const stamped = (stampMs: number | undefined): { stampMs?: number } => (stampMs !== undefined ? { stampMs } : {});

function docker(line: string): Wrapper | undefined {
  if (!line.startsWith('{"log":')) return undefined;
  try {
    const entry = JSON.parse(line) as { log?: unknown; time?: unknown };
    if (typeof entry.log !== 'string') return undefined;
    return {
      transport: 'docker', payload: entry.log.replace(/\r?\n$/, ''), stream: 'docker',
      ...stamped(typeof entry.time === 'string' ? rfc3339Ms(entry.time) : undefined), ...(entry.log.endsWith('\n') ? {} : { partial: true }),
    };
  } catch {
    return undefined;
  }
}

/** The outermost wrapper of a line, or undefined when it has none. */
export function takeWrapper(line: string): Wrapper | undefined {
  const fromDocker = docker(line);
  if (fromDocker) return fromDocker;
  let m = CRI.exec(line);
  if (m) return { transport: 'cri', payload: m[4] ?? '', stream: m[2] as string, ...stamped(rfc3339Ms(m[1] as string)), ...(m[3] === 'P' ? { partial: true } : {}) };
  m = JOURNALD_ISO.exec(line);
  if (m) return { transport: 'journald', unit: m[2] as string, payload: m[3] as string, ...stamped(rfc3339Ms(m[1] as string)) };
  m = KUBECTL_STAMP.exec(line);
  if (m) return { transport: 'kubectl', payload: m[2] as string, ...stamped(rfc3339Ms(m[1] as string)) };
  m = KUBECTL_PREFIX.exec(line);
  if (m) return { transport: 'kubectl', payload: m[1] as string };
  m = JOURNALD_SHORT.exec(line);
  if (m) return { transport: 'journald', unit: m[1] as string, payload: m[2] as string };
  return undefined;
}

export interface Unwrapped {
  payload: string;
  /** The outermost stamp with a zone. */
  stampMs?: number;
  /** The wrappers taken off, outermost first. */
  wrappers: Wrapper[];
}

/** Every wrapper taken off a whole line, outermost first (four at most: no real log nests deeper). */
export function unwrap(line: string): Unwrapped {
  const result: Unwrapped = { payload: line, wrappers: [] };
  for (let depth = 0; depth < 4; depth += 1) {
    const wrapper = takeWrapper(result.payload);
    if (!wrapper) break;
    result.payload = wrapper.payload;
    result.stampMs ??= wrapper.stampMs;
    result.wrappers.push(wrapper);
  }
  return result;
}
