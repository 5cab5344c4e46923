// The executable: run the plugin and exit with its code (gRPC channels would otherwise keep the process alive).

import { run } from './main.ts';

run(process.argv.slice(2)).then((code) => {
  process.stdout.write('', () => process.exit(code));
});
