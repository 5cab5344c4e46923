// Byte sizes for people: binary units, as etcdctl's table prints them (e.g. "294 MB" there, "294 MiB" here).

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1, k: 1000, kb: 1000, m: 1000 ** 2, mb: 1000 ** 2, g: 1000 ** 3, gb: 1000 ** 3,
  ki: 1024, kib: 1024, mi: MiB, mib: MiB, gi: GiB, gib: GiB,
};

/** Parses sizes as users write them: 104857600, 100MiB, 100Mi, 1.5GB. Undefined when it is not a size. */
export function parseBytes(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? SIZE_UNITS[(match[2] as string).toLowerCase()] : undefined;
  if (!match || unit === undefined) return undefined;
  return Math.round(Number(match[1]) * unit);
}
