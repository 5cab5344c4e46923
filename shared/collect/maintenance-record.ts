// The last maintenance of a cluster, as the run itself recorded it in etcd (one key, overwritten by every run that
// changed or tried to change something): whoever ran it (a person, the CronJob, the extension), `check` and the
// exporter can say when the cluster was last maintained, how it ended and what it freed.

import type { MemberOps } from '../connect/types.ts';
import { describeError } from '../util/errors.ts';

export const LAST_MAINTENANCE_KEY = '/etcd-perf/last-maintenance';

export type MaintenanceOutcome = 'done' | 'refused' | 'stopped' | 'cancelled';

export interface MaintenanceRecord {
  startedAt: string;
  finishedAt: string;
  /** What ran it, and where: "kubectl etcd-perf maintain" on host x. */
  command: string;
  host: string;
  outcome: MaintenanceOutcome;
  /** Bytes the defragmentation gave back, over every member. */
  freedBytes: number;
  /** The members defragmented (their step done). */
  defragmented: string[];
  /** The revision compacted to, when the run compacted. */
  compactedTo: number | null;
  /** Why it ended short of its aim; null when it did not. */
  problem: string | null;
}

/** What a collection learnt of the last maintenance: the record (null: none yet), or why it could not be read. */
export interface LastMaintenance {
  recorded: MaintenanceRecord | null;
  error: string | null;
}

/** The record kept in etcd, read through one member. */
export async function readLastMaintenance(member: MemberOps): Promise<LastMaintenance> {
  try {
    const text = await member.get(LAST_MAINTENANCE_KEY);
    return { recorded: text === null ? null : parseMaintenanceRecord(text), error: null };
  } catch (error) {
    return { recorded: null, error: `the last maintenance (${LAST_MAINTENANCE_KEY}) could not be read: ${describeError(error)}` };
  }
}

/** The record from its JSON; throws, saying what is wrong, on anything else. */
export function parseMaintenanceRecord(text: string): MaintenanceRecord {
  const value = JSON.parse(text) as Partial<MaintenanceRecord>;
  if (typeof value.finishedAt !== 'string' || typeof value.outcome !== 'string' || typeof value.freedBytes !== 'number') {
    throw new Error('not a maintenance record (finishedAt, outcome and freedBytes expected)');
  }
  return {
    startedAt: String(value.startedAt ?? value.finishedAt), finishedAt: value.finishedAt, command: String(value.command ?? ''),
    host: String(value.host ?? ''), outcome: value.outcome, freedBytes: value.freedBytes,
    defragmented: Array.isArray(value.defragmented) ? value.defragmented.map(String) : [],
    compactedTo: typeof value.compactedTo === 'number' ? value.compactedTo : null, problem: typeof value.problem === 'string' ? value.problem : null,
  };
}
