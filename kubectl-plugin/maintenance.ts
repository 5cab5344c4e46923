// What `defrag` and `maintain` share: their flags, and the run that shows the plan, asks (or requires --yes), then the
// core's safe maintenance with one line per step on stderr (a live timer on a terminal), an optional JSON-lines audit
// log, and Ctrl-C that stops between members.

import { appendFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { connect, type ConnectionRequest } from '../shared/entry/connect.ts';
import {
  MAINTAIN_DEFAULTS, maintainRequest, maintenanceProblem, planMaintenance, runMaintenance, type MaintainRequest,
} from '../shared/entry/maintain.ts';
import { renderData } from '../shared/render/format.ts';
import { maintenanceEventLine, renderCompactText, renderDefragResultText, renderPlanText } from '../shared/render/maintenance-text.ts';
import { formatDuration } from '../shared/util/duration.ts';
import { UsageError } from '../shared/util/errors.ts';
import { connectionRequest, DATA_FORMATS, flag, list, output, repeatable, text, withConnectionFlags, withOutput, type Raw } from './flags.ts';
import { interruptible } from './interrupt.ts';
import { EXIT, type Io } from './io.ts';
import { cliLogger, textWidth } from './output.ts';

export interface MaintenanceFlags {
  kind: 'defrag' | 'maintain';
  connection: ConnectionRequest;
  request: MaintainRequest;
  dryRun: boolean;
  yes: boolean;
  auditLog?: string;
  output: (typeof DATA_FORMATS)[number];
}

export const MAINTENANCE_HELP = `
Safety: every member must be reachable and healthy, no CORRUPT alarm, a leader, applied-index lag within bounds, and
no etcd 3.5.0-3.5.5; this is checked again before every member. Followers go first, the leader last; after each
member the next waits until it serves linearizable reads again. Ctrl-C stops between members.
Exit codes: 0 done (or nothing to do); 1 refused, stopped or locked by another run; 2 bad usage; 3 no member reachable.`;

export function withMaintenanceFlags(command: Command): Command {
  return withOutput(withConnectionFlags(command), DATA_FORMATS)
    .option('--fragmentation-threshold <percent>', 'defragment a member at or above this fragmentation', MAINTAIN_DEFAULTS.fragmentationThreshold)
    .option('--min-freeable <size>', '...and with at least this much to free', MAINTAIN_DEFAULTS.minFreeable)
    .option('--all', 'defragment every selected member whatever its fragmentation')
    .addOption(new Option('--member <name|id|url>', 'only this member (repeatable)').argParser(repeatable))
    .option('--move-leader', 'hand leadership to a follower before defragmenting the leader')
    .option('--step-timeout <duration>', 'deadline of each member\'s defragmentation (default: 1 min + 1 min per GiB)')
    .option('--pause <duration>', 'rest between members once the last serves again, so queued requests drain', MAINTAIN_DEFAULTS.pause)
    .option('--dry-run', 'print the plan and stop')
    .option('-y, --yes', 'do not ask (required without a terminal)')
    .option('--force', 'allow a single-member cluster (it stops serving while defragmented)')
    .option('--audit-log <file>', 'append every decision and step as JSON lines')
    .addHelpText('after', MAINTENANCE_HELP);
}

export function parseMaintenance(kind: MaintenanceFlags['kind'], raw: Raw): MaintenanceFlags {
  return {
    kind,
    connection: connectionRequest(raw),
    request: maintainRequest({
      fragmentationThreshold: text(raw, 'fragmentationThreshold'), minFreeable: text(raw, 'minFreeable'), all: flag(raw, 'all'),
      members: list(raw, 'member'), force: flag(raw, 'force'), moveLeader: flag(raw, 'moveLeader'), stepTimeout: text(raw, 'stepTimeout'),
      pause: text(raw, 'pause'), snapshotDir: text(raw, 'snapshot'),
    }, kind === 'maintain'),
    dryRun: flag(raw, 'dryRun'),
    yes: flag(raw, 'yes'),
    auditLog: text(raw, 'auditLog'),
    output: output(raw, DATA_FORMATS),
  };
}

async function confirm(io: Io, question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!io.stdinIsTty) throw new UsageError('refusing to change the cluster without --yes: there is no terminal to ask on (use --dry-run to see the plan)');
  return /^y(es)?$/i.test((await io.ask(`${question} [y/N] `)).trim());
}

export async function runMaintenanceCommand(flags: MaintenanceFlags, io: Io): Promise<number> {
  const { kind, request } = flags;
  const connection = await connect(flags.connection, io.env, cliLogger(io));
  const width = textWidth(io);
  const audit = (record: object): void => {
    if (flags.auditLog) appendFileSync(flags.auditLog, `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
  };
  const preview = await planMaintenance(connection, request.policy);
  const compactTo = kind === 'maintain' ? preview.compactTo : undefined;
  audit({ event: 'plan', command: kind, policy: request.policy, plan: preview.plan, compactTo });
  const planText = renderPlanText(preview.plan, width, compactTo);
  if (flags.dryRun) {
    io.stdout(flags.output === 'table' ? planText : renderData({ compactTo: compactTo ?? null, plan: preview.plan }, flags.output));
    return preview.plan.refusals.length ? EXIT.findings : EXIT.ok;
  }
  if (flags.output === 'table') io.stdout(planText);
  else io.stderr(planText);
  if (preview.plan.refusals.length > 0) {
    io.stderr(`error: refusing to defragment: ${preview.plan.refusals.join('; ')}\n`);
    return EXIT.findings;
  }
  const toDo = preview.plan.steps.filter((s) => s.action === 'defrag').length;
  if (toDo === 0 && kind === 'defrag') return EXIT.ok;
  const question = kind === 'maintain' ? `Compact, then defragment ${toDo ? 'the members above' : 'any member that needs it'}, leader last?` : `Defragment ${toDo} member(s), leader last?`;
  if (!(await confirm(io, question, flags.yes))) {
    io.stderr('nothing changed\n');
    return EXIT.ok;
  }
  let timer: NodeJS.Timeout | undefined;
  const stopTimer = (): void => { clearInterval(timer); timer = undefined; };
  const result = await interruptible(io, 'stopping after the current member (Ctrl-C again to leave now; a defragmentation already running continues on the server)', (signal) => {
    signal.addEventListener('abort', () => audit({ event: 'interrupt' }), { once: true });
    return runMaintenance(connection, request, {
      command: `kubectl etcd-perf ${kind}`, signal, logger: cliLogger(io),
      onEvent: (event) => {
        audit({ event: event.type, ...event });
        const line = maintenanceEventLine(event);
        if (line === undefined) return;
        if (event.type === 'step-start' && io.stderrIsTty) {
          const started = Date.now();
          io.stderr(`${line} ...`);
          timer = setInterval(() => io.stderr(`\r${line} ... ${formatDuration(Date.now() - started)}`), 250);
          return;
        }
        stopTimer();
        const indent = event.type === 'step-done' || event.type === 'leader-moved' ? '    ' : '';
        io.stderr(`${io.stderrIsTty && indent ? '\n' : ''}${indent}${line}${event.type === 'step-start' ? ' ...' : ''}\n`);
      },
    }).finally(stopTimer);
  });
  audit({ event: 'result', result });
  if (flags.output !== 'table') io.stdout(renderData(result, flags.output));
  else {
    if (result.compaction) io.stdout(`\n${renderCompactText(result.compaction, width)}`);
    if (result.defrag) io.stdout(`\n${renderDefragResultText(result.defrag, width)}`);
  }
  const problem = maintenanceProblem(result);
  if (problem) io.stderr(`error: ${problem}\n`);
  return result.ok ? EXIT.ok : EXIT.findings;
}
