// The few etcd requests the load generator sends, encoded by hand into protobuf bytes (etcd's rpc.proto field
// numbers), so the hot path builds one buffer per request from a template instead of objects through a codec.
// Responses are not decoded; only Authenticate's token is read.

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
