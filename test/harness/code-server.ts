// Where scripts/ensure-code-server.sh puts code-server (a real VS Code in the browser) for the end-to-end tests.

import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER = join(process.env.ETCD_PERF_CACHE ?? join(homedir(), '.cache/etcd-perf'), 'code-server-4.100.3/node_modules/.bin/code-server');
