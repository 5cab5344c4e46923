// The plugin's exit codes, the same for every command.

export const EXIT = { ok: 0, findings: 1, usage: 2, unreachable: 3, interrupted: 130 } as const;
