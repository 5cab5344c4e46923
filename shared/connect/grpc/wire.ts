// The few etcd messages sent and read on raw connections (the load generator, the keyspace walk), encoded and decoded
// by hand (etcd's rpc.proto field numbers): requests are built from templates, and a Range response is walked in
// place, handing out keys as slices and values only as lengths, never as objects through a codec.

/** Bytes a varint takes. */
function varintLength(value: number): number {
  let length = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 128)) length += 1;
  return length;
}

function writeVarint(buffer: Buffer, offset: number, value: number): number {
  let v = value;
  let at = offset;
  while (v >= 0x80) {
    buffer[at] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
    at += 1;
  }
  buffer[at] = v;
  return at + 1;
}

/** A length-delimited field (wire type 2): tag, length, bytes. */
function field(number: number, bytes: Buffer): Buffer {
  const head = Buffer.alloc(1 + varintLength(bytes.length));
  head[0] = (number << 3) | 2;
  writeVarint(head, 1, bytes.length);
  return Buffer.concat([head, bytes]);
}

/** A varint field (wire type 0). */
function varintField(number: number, value: number): Buffer {
  const out = Buffer.alloc(1 + varintLength(value));
  out[0] = number << 3;
  writeVarint(out, 1, value);
  return out;
}

export const KV_PUT = '/etcdserverpb.KV/Put';
export const KV_RANGE = '/etcdserverpb.KV/Range';
export const KV_TXN = '/etcdserverpb.KV/Txn';
export const AUTH_AUTHENTICATE = '/etcdserverpb.Auth/Authenticate';

/** PutRequest {key = 1, value = 2}. */
export function encodePut(key: Buffer, value: Buffer): Buffer {
  return Buffer.concat([field(1, key), field(2, value)]);
}

/** RangeRequest {key = 1, serializable = 7}. */
export function encodeRange(key: Buffer, serializable: boolean): Buffer {
  return Buffer.concat([field(1, key), ...(serializable ? [varintField(7, 1)] : [])]);
}

/** TxnRequest {success = 2: RequestOp {request_put = 2: PutRequest}} for each key, no compares. */
export function encodeTxnPut(keys: Buffer[], value: Buffer): Buffer {
  return Buffer.concat(keys.map((key) => field(2, field(2, encodePut(key, value)))));
}

/** AuthenticateRequest {name = 1, password = 2}. */
export function encodeAuthenticate(name: string, password: string): Buffer {
  return Buffer.concat([field(1, Buffer.from(name)), field(2, Buffer.from(password))]);
}

/** RangeRequest {key = 1, range_end = 2, limit = 3, revision = 4, serializable = 7, keys_only = 8}. */
export function encodeRangePage(page: { key: Buffer; rangeEnd: Buffer; limit: number; revision: number; serializable: boolean; keysOnly: boolean }): Buffer {
  return Buffer.concat([
    field(1, page.key), field(2, page.rangeEnd), varintField(3, page.limit),
    ...(page.revision > 0 ? [varintField(4, page.revision)] : []),
    ...(page.serializable ? [varintField(7, 1)] : []),
    ...(page.keysOnly ? [varintField(8, 1)] : []),
  ]);
}

/** One key of a Range response: the key is a slice of the response, the value only its length. */
export type KeyVisitor = (key: Buffer, valueBytes: number, version: number, lease: boolean) => void;

/** ResponseHeader {revision = 3}. */
function headerRevision(buffer: Buffer, start: number, end: number): number {
  let at = start;
  let revision = 0;
  while (at < end) {
    const [tag, afterTag] = readVarint(buffer, at);
    if ((tag & 7) !== 0) throw new Error('unexpected wire type in a response header');
    const [value, next] = readVarint(buffer, afterTag);
    if (tag >>> 3 === 3) revision = value;
    at = next;
  }
  return revision;
}

/** KeyValue {key = 1, create_revision = 2, mod_revision = 3, version = 4, value = 5, lease = 6}. */
function visitKeyValue(buffer: Buffer, start: number, end: number, visit: KeyVisitor): void {
  let at = start;
  let key: Buffer = EMPTY;
  let valueBytes = 0;
  let version = 0;
  let lease = false;
  while (at < end) {
    const [tag, afterTag] = readVarint(buffer, at);
    if ((tag & 7) === 2) {
      const [length, from] = readVarint(buffer, afterTag);
      if (tag >>> 3 === 1) key = buffer.subarray(from, from + length);
      else if (tag >>> 3 === 5) valueBytes = length;
      at = from + length;
    } else {
      const [value, next] = readVarint(buffer, afterTag);
      if (tag >>> 3 === 4) version = value;
      else if (tag >>> 3 === 6) lease = value !== 0;
      at = next;
    }
  }
  visit(key, valueBytes, version, lease);
}

const EMPTY = Buffer.alloc(0);

/** Walks a RangeResponse {header = 1, kvs = 2, more = 3, count = 4}, visiting each key in order. */
export function decodeRangeResponse(buffer: Buffer, visit: KeyVisitor): { revision: number; more: boolean; count: number } {
  let at = 0;
  let revision = 0;
  let more = false;
  let count = 0;
  while (at < buffer.length) {
    const [tag, afterTag] = readVarint(buffer, at);
    if ((tag & 7) === 2) {
      const [length, from] = readVarint(buffer, afterTag);
      if (tag >>> 3 === 1) revision = headerRevision(buffer, from, from + length);
      else if (tag >>> 3 === 2) visitKeyValue(buffer, from, from + length, visit);
      at = from + length;
    } else {
      const [value, next] = readVarint(buffer, afterTag);
      if (tag >>> 3 === 3) more = value !== 0;
      else if (tag >>> 3 === 4) count = value;
      at = next;
    }
  }
  return { revision, more, count };
}

function readVarint(buffer: Buffer, offset: number): [number, number] {
  let value = 0;
  let scale = 1;
  let at = offset;
  for (;;) {
    const byte = buffer[at];
    if (byte === undefined) throw new Error('truncated protobuf varint');
    value += (byte & 0x7f) * scale;
    at += 1;
    if (byte < 0x80) return [value, at];
    scale *= 128;
  }
}

/** A varint as a BigInt: uint64 ids do not fit a double. */
function readVarintBig(buffer: Buffer, offset: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  let at = offset;
  for (;;) {
    const byte = buffer[at];
    if (byte === undefined) throw new Error('truncated protobuf varint');
    value |= BigInt(byte & 0x7f) << shift;
    at += 1;
    if (byte < 0x80) return [value, at];
    shift += 7n;
  }
}

interface WireField {
  number: number;
  /** Varint fields (wire type 0): the value. */
  varint: bigint;
  /** Length-delimited fields (wire type 2): the bytes. */
  bytes: Buffer;
}

/** The fields of one message in order; fixed-width fields (never in these messages) are skipped. */
function* wireFields(buffer: Buffer): Generator<WireField> {
  let at = 0;
  while (at < buffer.length) {
    const [tag, afterTag] = readVarint(buffer, at);
    const wireType = tag & 7;
    if (wireType === 0) {
      const [varint, next] = readVarintBig(buffer, afterTag);
      yield { number: tag >>> 3, varint, bytes: EMPTY };
      at = next;
    } else if (wireType === 2) {
      const [length, from] = readVarint(buffer, afterTag);
      yield { number: tag >>> 3, varint: 0n, bytes: buffer.subarray(from, from + length) };
      at = from + length;
    } else if (wireType === 1 || wireType === 5) {
      at = afterTag + (wireType === 1 ? 8 : 4);
    } else {
      throw new Error(`unexpected protobuf wire type ${wireType}`);
    }
  }
}

export const MAINTENANCE_STATUS = '/etcdserverpb.Maintenance/Status';

/** StatusResponse as etcd 3.6+ sends it (older members leave out what they lack); 64-bit numbers as decimal text. */
export interface StatusWire {
  header: { cluster_id: string; member_id: string; revision: string; raft_term: string };
  version: string;
  dbSize: string;
  leader: string;
  raftIndex: string;
  raftTerm: string;
  raftAppliedIndex: string;
  errors: string[];
  dbSizeInUse: string;
  isLearner: boolean;
  /** 3.6+: the version of the database file. */
  storageVersion: string;
  /** 3.6+: --quota-backend-bytes as the member applies it. */
  dbSizeQuota: string;
  /** 3.6+: whether a downgrade is under way, and to what. */
  downgradeInfo: { enabled: boolean; targetVersion: string } | null;
}

/**
 * StatusResponse {header = 1, version = 2, dbSize = 3, leader = 4, raftIndex = 5, raftTerm = 6, raftAppliedIndex = 7,
 * errors = 8, dbSizeInUse = 9, isLearner = 10, storageVersion = 11, dbSizeQuota = 12, downgradeInfo = 13}, with
 * ResponseHeader {cluster_id = 1, member_id = 2, revision = 3, raft_term = 4} and DowngradeInfo {enabled = 1,
 * targetVersion = 2} (etcd's api/etcdserverpb/rpc.proto at v3.6 and v3.7; etcd3's copy stops at isLearner).
 */
export function decodeStatusResponse(buffer: Buffer): StatusWire {
  const status: StatusWire = {
    header: { cluster_id: '0', member_id: '0', revision: '0', raft_term: '0' },
    version: '', dbSize: '0', leader: '0', raftIndex: '0', raftTerm: '0', raftAppliedIndex: '0', errors: [], dbSizeInUse: '0',
    isLearner: false, storageVersion: '', dbSizeQuota: '0', downgradeInfo: null,
  };
  const numbers = ['', '', '', 'dbSize', 'leader', 'raftIndex', 'raftTerm', 'raftAppliedIndex', '', 'dbSizeInUse', '', '', 'dbSizeQuota'] as const;
  for (const field of wireFields(buffer)) {
    const name = numbers[field.number];
    if (name) status[name] = field.varint.toString();
    else if (field.number === 1) {
      const header = ['', 'cluster_id', 'member_id', 'revision', 'raft_term'] as const;
      for (const inner of wireFields(field.bytes)) {
        const key = header[inner.number];
        if (key) status.header[key] = inner.varint.toString();
      }
    } else if (field.number === 2) status.version = field.bytes.toString('utf8');
    else if (field.number === 8) status.errors.push(field.bytes.toString('utf8'));
    else if (field.number === 10) status.isLearner = field.varint !== 0n;
    else if (field.number === 11) status.storageVersion = field.bytes.toString('utf8');
    else if (field.number === 13) {
      const info = { enabled: false, targetVersion: '' };
      for (const inner of wireFields(field.bytes)) {
        if (inner.number === 1) info.enabled = inner.varint !== 0n;
        else if (inner.number === 2) info.targetVersion = inner.bytes.toString('utf8');
      }
      status.downgradeInfo = info;
    }
  }
  return status;
}

/** AuthenticateResponse {header = 1, token = 2}: the token. */
export function decodeAuthenticateToken(response: Buffer): string {
  let at = 0;
  while (at < response.length) {
    const [tag, afterTag] = readVarint(response, at);
    const wireType = tag & 7;
    if (wireType === 0) {
      at = readVarint(response, afterTag)[1];
      continue;
    }
    if (wireType !== 2) throw new Error(`unexpected protobuf wire type ${wireType}`);
    const [length, start] = readVarint(response, afterTag);
    if (tag >>> 3 === 2) return response.subarray(start, start + length).toString('utf8');
    at = start + length;
  }
  throw new Error('no token in the Authenticate response');
}

/**
 * A request template where only the key changes: every request is a copy of `template` with its key's last `width`
 * bytes overwritten. `keyOffsets` are where each key's variable part starts (one per key in a transaction).
 */
export interface KeyedTemplate {
  template: Buffer;
  keyOffsets: number[];
  width: number;
}

/** Finds each key's variable part in an encoded request made from keys filled with `marker` bytes. */
export function keyedTemplate(encode: (keys: Buffer[]) => Buffer, fixed: Buffer, width: number, count: number): KeyedTemplate {
  const keys = Array.from({ length: count }, (_, i) => Buffer.concat([fixed, Buffer.alloc(width, 0x80 + i)]));
  const template = encode(keys);
  const keyOffsets = keys.map((key) => template.indexOf(key) + fixed.length);
  return { template, keyOffsets, width };
}
