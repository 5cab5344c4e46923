// Runs the built plugin (dist/kubectl-etcd_perf.js) as a user would, capturing exit code, output and wall time.

import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export const CLI = join(__dirname, '../../dist/kubectl-etcd_perf.js');

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/** etcdctl -w json prints uint64 ids as bare numbers that JSON.parse rounds: the core's exact parser keeps them. */
export { parseExactJson as parseEtcdctlJson } from '../../shared/connect/kubernetes/exact-json.ts';
