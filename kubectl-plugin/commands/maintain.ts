// `defrag` and `maintain`: show the plan, ask (or require --yes), then the safe rolling defragmentation, one line per
// step (a live timer on a terminal), an optional JSON-lines audit log, and Ctrl-C that stops between members.

import { appendFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { ConnectionOptions } from '../../shared/connect/options.ts';
import { DEFAULT_POLICY, type DefragPolicy } from '../../shared/maintain/plan.ts';
import { LockHeldError, planMaintenance, runMaintenance, type MaintainRequest, type MaintainResult } from '../../shared/maintain/maintain.ts';
import { renderData } from '../../shared/render/format.ts';
import { renderCompactText, renderDefragResultText, renderPlanText } from '../../shared/render/maintenance-text.ts';
import { formatBytes, parseBytes } from '../../shared/util/bytes.ts';
import { formatDuration, parseDuration } from '../../shared/util/duration.ts';
import { UsageError } from '../../shared/util/errors.ts';
import { addConnectionFlags, resolveConnection } from '../connection-flags.ts';
import { EXIT } from '../exit.ts';
import type { Io } from '../io.ts';
import { cliLogger } from '../logger.ts';
import { parseDataFormat } from './compact.ts';

type Kind = 'defrag' | 'maintain';

function policyFrom(options: Record<string, unknown>): DefragPolicy {
  const threshold = Number(options.fragmentationThreshold);
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 100) {
    throw new UsageError(`--fragmentation-threshold: expected a percentage from 0 to 100, got "${String(options.fragmentationThreshold)}"`);
  }
  const minFreeable = parseBytes(String(options.minFreeable));
  if (minFreeable === undefined) throw new UsageError(`--min-freeable: expected a size such as 100MiB, got "${String(options.minFreeable)}"`);
  return {
    ...DEFAULT_POLICY,
    fragmentationThresholdPercent: threshold,
    minFreeableBytes: minFreeable,
    all: options.all === true,
    members: (options.member as string[] | undefined) ?? [],
    force: options.force === true,
  };
}

function auditWriter(path: unknown): (record: object) => void {
  if (typeof path !== 'string') return () => undefined;
  return (record) => appendFileSync(path, `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
}

/** One line per step on stderr; on a terminal the current line counts the seconds until the step ends. */
function progress(io: Io): { onEvent: NonNullable<MaintainRequest['onEvent']>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const clear = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  return {
    stop: clear,
    onEvent: (event) => {
      switch (event.type) {
        case 'snapshot':
          io.stderr(`snapshot saved: ${event.result.file} (${formatBytes(event.result.bytes)}, revision ${event.result.revision}, sha256 verified)\n`);
          break;
        case 'compacted':
          io.stderr(event.result.alreadyCompacted ? 'compaction: nothing to do\n' : `compacted to revision ${event.result.revision}; every member finished (${formatDuration(event.result.tookMs)})\n`);
          break;
        case 'step-start': {
          const line = `[${event.index}/${event.total}] defragmenting ${event.member} (${formatBytes(event.dbSize)}, ${event.isLeader ? 'leader' : 'follower'})`;
          if (io.stderrIsTty) {
            const started = Date.now();
            io.stderr(`${line} ...`);
            timer = setInterval(() => io.stderr(`\r${line} ... ${formatDuration(Date.now() - started)}`), 250);
          } else {
            io.stderr(`${line} ...\n`);
          }
          break;
        }
        case 'leader-moved':
          io.stderr(`${io.stderrIsTty ? '\n' : ''}    leadership moved from ${event.from} to ${event.to} in ${formatDuration(event.tookMs)}\n`);
          break;
        case 'step-done': {
          clear();
          const r = event.result;
          const text = r.status === 'done'
            ? `    ${r.name}: ${formatBytes(r.sizeBefore)} -> ${formatBytes(r.sizeAfter ?? 0)} (freed ${formatBytes(r.freedBytes)}) in ${formatDuration(r.defragMs)}, serving again`
            : `    ${r.name}: FAILED: ${r.error ?? ''}`;
          io.stderr(`${io.stderrIsTty ? '\n' : ''}${text}\n`);
          break;
        }
        case 'planned': {
          const chosen = event.plan.steps.filter((s) => s.action === 'defrag');
          io.stderr(chosen.length
            ? `after compaction: defragmenting ${chosen.map((s) => `${s.name} (${Math.round(s.fragmentationPercent)}%)`).join(', ')}\n`
            : 'after compaction: no member needs defragmenting\n');
          break;
        }
        case 'alarm-disarmed':
          io.stderr(`disarmed ${event.alarm} on ${event.member}\n`);
          break;
        default:
          break;
      }
    },
  };
}

async function confirm(io: Io, question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!io.stdinIsTty) throw new UsageError('refusing to change the cluster without --yes: there is no terminal to ask on (use --dry-run to see the plan)');
  return /^y(es)?$/i.test((await io.ask(`${question} [y/N] `)).trim());
}

async function execute(kind: Kind, options: Record<string, unknown>, io: Io): Promise<number> {
  const format = parseDataFormat(options.output);
  const policy = policyFrom(options);
  const stepTimeoutMs = options.stepTimeout === undefined ? undefined : parseDuration(String(options.stepTimeout), '--step-timeout');
  const pauseMs = parseDuration(String(options.pause), '--pause');
  const connection: ConnectionOptions = await resolveConnection(options, io.env, cliLogger(io));
  const width = io.stdoutIsTty ? io.columns : 80;
  const audit = auditWriter(options.auditLog);
  const preview = await planMaintenance(connection, policy);
  const compactTo = kind === 'maintain' ? preview.compactTo : undefined;
  audit({ event: 'plan', command: kind, policy, plan: preview.plan, compactTo });
  if (options.dryRun === true) {
    io.stdout(format === 'table' ? renderPlanText(preview.plan, width, compactTo) : renderData({ compactTo: compactTo ?? null, plan: preview.plan }, format));
    return preview.plan.refusals.length ? EXIT.findings : EXIT.ok;
  }
  const showPlan = renderPlanText(preview.plan, width, compactTo);
  if (format === 'table') io.stdout(showPlan);
  else io.stderr(showPlan);
  if (preview.plan.refusals.length > 0) {
    io.stderr(`error: refusing to defragment: ${preview.plan.refusals.join('; ')}\n`);
    return EXIT.findings;
  }
  const toDo = preview.plan.steps.filter((s) => s.action === 'defrag').length;
  if (toDo === 0 && kind === 'defrag') return EXIT.ok;
  const question = kind === 'maintain' ? `Compact, then defragment ${toDo ? 'the members above' : 'any member that needs it'}, leader last?` : `Defragment ${toDo} member(s), leader last?`;
  if (!(await confirm(io, question, options.yes === true))) {
    io.stderr('nothing changed\n');
    return EXIT.ok;
  }

  const controller = new AbortController();
  let interrupts = 0;
  const onInterrupt = (): void => {
    interrupts += 1;
    if (interrupts === 1) {
      io.stderr('\nstopping after the current member (Ctrl-C again to leave now; a defragmentation already running continues on the server)\n');
      controller.abort();
      audit({ event: 'interrupt' });
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onInterrupt);
  const shown = progress(io);
  let result: MaintainResult;
  try {
    result = await runMaintenance(connection, {
      policy, compact: kind === 'maintain', moveLeader: options.moveLeader === true, stepTimeoutMs, pauseMs,
      command: `kubectl etcd-perf ${kind}`, signal: controller.signal, logger: cliLogger(io),
      snapshotDir: typeof options.snapshot === 'string' ? options.snapshot : undefined,
      onEvent: (event) => {
        audit({ event: event.type, ...event });
        shown.onEvent(event);
      },
    });
  } catch (error) {
    if (error instanceof LockHeldError || (error instanceof Error && /^snapshot from /.test(error.message))) {
      io.stderr(`error: ${error.message}${error instanceof LockHeldError ? '' : '; nothing was changed'}\n`);
      return EXIT.findings;
    }
    throw error;
  } finally {
    shown.stop();
    process.off('SIGINT', onInterrupt);
  }
  audit({ event: 'result', result });
  if (format !== 'table') {
    io.stdout(renderData(result, format));
  } else {
    if (result.compaction) io.stdout(`\n${renderCompactText(result.compaction, width)}`);
    if (result.defrag) io.stdout(`\n${renderDefragResultText(result.defrag, width)}`);
  }
  if (result.refused.length) io.stderr(`error: refusing to defragment after compaction: ${result.refused.join('; ')}\n`);
  else if (result.defrag?.stoppedReason) io.stderr(`error: ${result.defrag.stoppedReason}\n`);
  return result.ok ? EXIT.ok : EXIT.findings;
}

function addMaintenanceFlags(command: Command): Command {
  return addConnectionFlags(command)
    .option('--fragmentation-threshold <percent>', 'defragment a member at or above this fragmentation', String(DEFAULT_POLICY.fragmentationThresholdPercent))
    .option('--min-freeable <size>', '...and with at least this much to free', '100MiB')
    .option('--all', 'defragment every selected member whatever its fragmentation')
    .addOption(new Option('--member <name|id|url>', 'only this member (repeatable)').argParser((value: string, previous: string[] = []) => [...previous, value]))
    .option('--move-leader', 'hand leadership to a follower before defragmenting the leader')
    .option('--step-timeout <duration>', 'deadline of each member\'s defragmentation (default: 1 min + 1 min per GiB)')
    .option('--pause <duration>', 'rest between members once the last serves again, so queued requests drain', '1s')
    .option('--dry-run', 'print the plan and stop')
    .option('-y, --yes', 'do not ask (required without a terminal)')
    .option('--force', 'allow a single-member cluster (it stops serving while defragmented)')
    .option('--audit-log <file>', 'append every decision and step as JSON lines')
    .option('-o, --output <format>', 'table, json or yaml', 'table');
}

const EXIT_HELP = `
Safety: every member must be reachable and healthy, no CORRUPT alarm, a leader, applied-index lag within bounds, and
no etcd 3.5.0-3.5.5; this is checked again before every member. Followers go first, the leader last; after each
member the next waits until it serves linearizable reads again. Ctrl-C stops between members.
Exit codes: 0 done (or nothing to do); 1 refused, stopped or locked by another run; 2 bad usage; 3 no member reachable.`;

export function registerMaintain(program: Command, io: Io, done: (code: number) => void): void {
  addMaintenanceFlags(program.command('defrag'))
    .description('defragment the members that need it, one at a time, leader last, with health gates')
    .addHelpText('after', EXIT_HELP)
    .action(async (options: Record<string, unknown>) => done(await execute('defrag', options, io)));
  addMaintenanceFlags(program.command('maintain'))
    .description('compact (physical, every member) and then defragment safely: the routine maintenance')
    .option('--snapshot <dir>', 'save a verified snapshot into this folder first; stop if that fails')
    .addHelpText('after', EXIT_HELP)
    .action(async (options: Record<string, unknown>) => done(await execute('maintain', options, io)));
}
