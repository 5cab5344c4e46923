// Keeps the last maintenance in etcd itself (see collect/maintenance-record.ts): written by the run, under its lock,
// through the member that granted the lock, so `check` and the exporter of any machine can read it.

import { LAST_MAINTENANCE_KEY, type MaintenanceRecord } from '../collect/maintenance-record.ts';
import { openMember } from '../connect/member.ts';
import type { ConnectionOptions } from '../connect/types.ts';

export async function recordMaintenance(endpoint: string, connection: ConnectionOptions, record: MaintenanceRecord): Promise<void> {
  const member = openMember(endpoint, connection);
  try {
    await member.put(LAST_MAINTENANCE_KEY, JSON.stringify(record));
  } finally {
    member.close();
  }
}
