// What a door must supply to the core: where progress and diagnostics go. The core never writes to a terminal itself.

export interface Logger {
  /** Progress and diagnostics for a person (stderr in the CLI, the output channel in the extension). */
  info(message: string): void;
  warn(message: string): void;
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined };
