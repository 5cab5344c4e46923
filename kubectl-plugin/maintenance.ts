// What `defrag` and `maintain` share: their flags, and the run that shows the plan, asks (or requires --yes), then the
// core's safe maintenance with one line per step on stderr (a live timer on a terminal) and Ctrl-C that stops
// between members.

import type { Command } from 'commander';
import {
  connect, CONNECTION_INPUTS, type ConnectionRequest, formatDuration, MAINTAIN_INPUTS, maintainRequest,
  type MaintainRequest, maintenanceEventLine, maintenanceProblem, planMaintenance,
  renderCompactText, renderData, renderDefragResultText, renderPlanText, runMaintenance, SAFETY_GATES,
  SNAPSHOT_FIRST_INPUT, UsageError, wrap,
} from '../shared/entry/index.ts';
import { DATA_FORMATS, type DataFormat, declare, flag, output, type Raw, values, withOutput } from './flags.ts';
import { EXIT, interruptible, type Io } from './io.ts';
import { cliLogger, textWidth } from './output.ts';

export type MaintenanceFlags = {
  kind: 'defrag' | 'maintain'; connection: ConnectionRequest; request: MaintainRequest; dryRun: boolean; yes: boolean; output: DataFormat;
};

export function withMaintenanceFlags(command: Command, kind: MaintenanceFlags['kind']): Command {
  return withOutput(declare(declare(command, CONNECTION_INPUTS), [...MAINTAIN_INPUTS, ...(kind === 'maintain' ? [SNAPSHOT_FIRST_INPUT] : [])]), DATA_FORMATS)
    .option('--dry-run', 'print the plan and stop')
    .option('-y, --yes', 'do not ask (required without a terminal)')
    .addHelpText('after', `\n${wrap(`Safety: ${SAFETY_GATES} Ctrl-C stops between members.`, 115, '')}
Exit codes: 0 done (or nothing to do); 1 refused, stopped or locked by another run; 2 bad usage; 3 no member reachable.`);
}

export function parseMaintenance(kind: MaintenanceFlags['kind'], raw: Raw): MaintenanceFlags {
  return {
    kind, connection: values(raw, CONNECTION_INPUTS), request: maintainRequest(values(raw, [...MAINTAIN_INPUTS, SNAPSHOT_FIRST_INPUT]), kind === 'maintain'),
    dryRun: flag(raw, 'dryRun'), yes: flag(raw, 'yes'), output: output(raw, DATA_FORMATS),
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
  const preview = await planMaintenance(connection, request);
  const compactTo = request.compact ? preview.compactTo : undefined;
  const planText = renderPlanText(preview.plan, width, compactTo);
  if (flags.dryRun) {
    io.stdout(flags.output === 'table' ? planText : renderData({ compactTo: compactTo ?? null, plan: preview.plan }, flags.output));
    return preview.plan.refusals.length ? EXIT.findings : EXIT.ok;
  }
  if (flags.output === 'table') io.stdout(planText);
  else io.stderr(planText);
  if (preview.refused) {
    io.stderr(`error: ${preview.refused}\n`);
    return EXIT.findings;
  }
  if (preview.nothingToDo) return EXIT.ok;
  if (!(await confirm(io, preview.question, flags.yes))) {
    io.stderr('nothing changed\n');
    return EXIT.ok;
  }
  let timer: NodeJS.Timeout | undefined;
  const stopTimer = (): void => { clearInterval(timer); timer = undefined; };
  const result = await interruptible(io, 'stopping after the current member (Ctrl-C again to leave now; a defragmentation already running continues on the server)', (signal) => runMaintenance(connection, request, {
    command: `kubectl etcd-perf ${kind}`, signal, logger: cliLogger(io),
    ...(request.events ? { events: { kube: { kubeconfig: flags.connection.kubeconfig, context: flags.connection.context, namespace: flags.connection.namespace, selector: flags.connection.selector }, env: io.env } } : {}),
    onEvent: (event) => {
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
  }).finally(stopTimer));
  if (flags.output !== 'table') io.stdout(renderData(result, flags.output));
  else {
    if (result.compaction) io.stdout(`\n${renderCompactText(result.compaction, width)}`);
    if (result.defrag) io.stdout(`\n${renderDefragResultText(result.defrag, width)}`);
  }
  const problem = maintenanceProblem(result);
  if (problem) io.stderr(`error: ${problem}\n`);
  return result.ok ? EXIT.ok : EXIT.findings;
}
