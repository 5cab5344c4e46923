// `defrag`: only the rolling defragmentation (no compaction first), of the members that need it or those named.

import { command } from '../command.ts';
import { parseMaintenance, runMaintenanceCommand, withMaintenanceFlags, type MaintenanceFlags } from '../maintenance.ts';

export const defrag = command<MaintenanceFlags>({
  name: 'defrag',
  declare: (c) => withMaintenanceFlags(c, 'defrag').description('defragment the members that need it, one at a time, leader last, with health gates'),
  parse: (raw) => parseMaintenance('defrag', raw),
  run: runMaintenanceCommand,
});
