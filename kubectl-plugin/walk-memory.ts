// The keyspace walk receives hundreds of megabytes in 4 MiB pages: every page arrives as a few hundred 16 KiB HTTP/2
// chunks and their copy into one message, each Buffer backed by memory outside the V8 heap that is freed only once
// the scavenger collects its wrapper. Left to itself V8 grows the young generation under that allocation rate (to 16
// MiB semi-spaces), scavenges less often, and the process keeps ~50 MB more of dead buffers and their pages: peak RSS
// 142-165 MB for 200,000 keys, against 116-118 MB with the young generation held at its initial size (measured with
// GNU time; `npm run bench:keyspace`). The flag is read each time V8 would grow the new space, so setting it at run
// time works (`--max-semi-space-size` is read only at start), but it must be set before the bundle loads: loading it
// grows the new space already. So it is set before the bundle loads, and only for the walk's commands (keyspace, and check or report --deep; a false match only costs a little CPU).
// The extension host is shared with other extensions and is left alone. The launcher and the single executable call
// this before the plugin loads.

import { setFlagsFromString } from 'node:v8';

export function holdYoungGenerationForWalks(args: readonly string[]): void {
  if (args.includes('keyspace') || args.includes('--deep')) setFlagsFromString('--semi-space-growth-factor=1');
}
