// The executable: run the plugin and exit with its code (gRPC channels would otherwise keep the process alive).

import { run } from './main.ts';

// grpc-js passes IP addresses as TLS server names, which Node flags with a deprecation warning on every TLS call:
// noise on stderr that is not ours to fix and would break one-line errors.
process.noDeprecation = true;

// A reader that stops early (`| head`) closes the pipe: that ends us quietly, as it ends cat or etcdctl.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

run(process.argv.slice(2)).then((code) => {
  process.stdout.write('', () => process.exit(code));
});
