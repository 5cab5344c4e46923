// `maintain`: the routine maintenance: a snapshot if asked, physical compaction finished on every member, then the
// rolling defragmentation of the members that need it.

import { command } from '../command.ts';
import { parseMaintenance, runMaintenanceCommand, withMaintenanceFlags, type MaintenanceFlags } from '../maintenance.ts';

export const maintain = command<MaintenanceFlags>({
  name: 'maintain',
  declare: (c) => withMaintenanceFlags(c, 'maintain').description('compact (physical, every member) and then defragment safely: the routine maintenance'),
  parse: (raw) => parseMaintenance('maintain', raw),
  run: runMaintenanceCommand,
});
