// Facts about the disk under a directory, as etcd cares about them: filesystem type and mount options (noatime),
// the block device's rotational flag and I/O scheduler (from sysfs), free space. Reading is separate from parsing:
// parseMountInfo and parseScheduler are pure.

import { readFileSync, realpathSync, statfsSync, existsSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';

export interface MountEntry {
  mountPoint: string;
  /** "major:minor" of the filesystem's device (major 0: no block device, e.g. tmpfs or overlay). */
  device: string;
  fsType: string;
  source: string;
  /** Per-mount options (rw, noatime, relatime ...) followed by the filesystem's own. */
  options: string[];
}

export interface FilesystemFacts {
  mountPoint: string;
  type: string;
  source: string;
  options: string[];
  /** True when access times are not written (noatime); relatime still writes some. */
  noatime: boolean;
  /** Block device name (e.g. vda, nvme0n1), null when the filesystem has none (tmpfs, overlay). */
  blockDevice: string | null;
  /** From /sys/block/DEV/queue/rotational: true for spinning disks; null when unknown. */
  rotational: boolean | null;
  /** The active I/O scheduler, e.g. mq-deadline or none; null when unknown. */
  scheduler: string | null;
  freeBytes: number;
  totalBytes: number;
}

const unescape = (text: string): string => text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));

/** Parses /proc/self/mountinfo (see proc(5)): one mount per line, optional fields ended by "-". */
export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    if (dash < 6 || fields.length < dash + 4) continue;
    entries.push({
      device: fields[2] as string,
      mountPoint: unescape(fields[4] as string),
      options: [...(fields[5] as string).split(','), ...(fields[dash + 3] as string).split(',')],
      fsType: fields[dash + 1] as string,
      source: unescape(fields[dash + 2] as string),
    });
  }
  return entries;
}

/** The mount holding `path` (absolute, symlinks resolved): the longest mount point above it; later mounts shadow earlier ones. */
export function mountFor(entries: MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const entry of entries) {
    const prefix = entry.mountPoint.endsWith(sep) ? entry.mountPoint : `${entry.mountPoint}${sep}`;
    const inside = path === entry.mountPoint || path.startsWith(prefix);
    if (inside && (!best || entry.mountPoint.length >= best.mountPoint.length)) best = entry;
  }
  return best;
}

/** "noop [mq-deadline] none" → "mq-deadline"; a single name without brackets is the active one. */
export function parseScheduler(text: string): string | null {
  const active = /\[([^\]]+)\]/.exec(text);
  if (active) return active[1] as string;
  const names = text.trim().split(/\s+/).filter(Boolean);
  return names.length === 1 ? (names[0] as string) : null;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The whole disk's sysfs directory for a device number (a partition's parent), if the device is a block device. */
function diskDirectory(device: string): string | undefined {
  if (device.startsWith('0:')) return undefined;
  let dir: string;
  try {
    dir = realpathSync(`/sys/dev/block/${device}`);
  } catch {
    return undefined;
  }
  return existsSync(join(dir, 'partition')) ? dirname(dir) : dir;
}

export function readFilesystemFacts(dir: string): FilesystemFacts {
  const path = realpathSync(dir);
  const mount = mountFor(parseMountInfo(readText('/proc/self/mountinfo') ?? ''), path);
  const disk = mount ? diskDirectory(mount.device) : undefined;
  const rotational = disk ? readText(join(disk, 'queue/rotational'))?.trim() : undefined;
  const scheduler = disk ? readText(join(disk, 'queue/scheduler')) : undefined;
  const space = statfsSync(path);
  return {
    mountPoint: mount?.mountPoint ?? '/',
    type: mount?.fsType ?? 'unknown',
    source: mount?.source ?? 'unknown',
    options: [...new Set(mount?.options ?? [])],
    noatime: mount?.options.includes('noatime') ?? false,
    blockDevice: disk ? basename(disk) : null,
    rotational: rotational === '1' ? true : rotational === '0' ? false : null,
    scheduler: scheduler === undefined ? null : parseScheduler(scheduler),
    freeBytes: Number(space.bavail) * Number(space.bsize),
    totalBytes: Number(space.blocks) * Number(space.bsize),
  };
}
