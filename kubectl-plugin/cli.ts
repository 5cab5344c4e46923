// The executable: run the plugin and exit with its code (gRPC channels would otherwise keep the process alive).

import { run } from './main.ts';

// grpc-js passes IP addresses as TLS server names, which Node flags with a deprecation warning on every TLS call:
// noise on stderr that is not ours to fix and would break one-line errors.
process.noDeprecation = true;

run(process.argv.slice(2)).then((code) => {
  process.stdout.write('', () => process.exit(code));
});
