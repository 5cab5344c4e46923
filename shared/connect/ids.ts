// etcd's wire numbers, converted once where they enter: uint64 ids travel as decimal strings (gRPC through etcd3) or
// bare JSON numbers kept exact as strings (etcdctl -w json), and are shown as etcdctl shows them, lowercase hex;
// int64 counters and sizes arrive as decimal strings and become numbers.

/** An etcd uint64 id, as decimal text or number, in lowercase hex ("0" for none). */
export function hexId(decimal: string | number | undefined | null): string {
  if (decimal === undefined || decimal === null || decimal === '') return '0';
  return BigInt(decimal).toString(16);
}

/** A hex id as the decimal string etcd3's request types take. */
export function decimalId(hex: string): string {
  return BigInt(`0x${hex}`).toString();
}

/** An int64 field (decimal string, number or absent) as a number; absent is 0, as protobuf's default. */
export function int64(value: unknown): number {
  return value === undefined || value === null || value === '' ? 0 : Number(value);
}
