// The audit trail of a maintenance run: every decision and step appended as a JSON line with its time, to a file the
// user names (- for stderr: a job's log); nothing when none is named.

import { appendFileSync } from 'node:fs';

export type AuditTrail = (record: { event: string } & Record<string, unknown>) => void;

export function auditTrail(path: string | undefined): AuditTrail {
  if (path === undefined) return () => undefined;
  const line = (record: Record<string, unknown>): string => `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`;
  if (path === '-') return (record) => { process.stderr.write(line(record)); };
  return (record) => appendFileSync(path, line(record));
}
