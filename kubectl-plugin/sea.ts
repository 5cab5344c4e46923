// The single executable's entry (scripts/build-sea.ts): Node's own binary with this bundle inside, the Kubernetes
// client and etcd's compiled .proto included, so nothing is read from beside it. V8's code cache is Node's own here
// (useCodeCache), so the launcher's is not needed; the young generation is held for the keyspace walk as it does.

import { holdYoungGenerationForWalks } from './walk-memory.ts';

holdYoungGenerationForWalks(process.argv.slice(2));
void import('./cli.ts');
