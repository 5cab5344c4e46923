// Editor context menu on an etcd configuration file: "etcd: Defragment This Member" and "etcd: Run Check for This
// Member", for the member the file describes (found by its advertised client URLs, else its --name) among the
// clusters of the etcd view.

import * as vscode from 'vscode';
import { type MemberMatch, memberOfConfigText } from '../../shared/entry/index.ts';
import { configuredClusters, connectionFor } from '../clusters.ts';
import { defragmentMember } from './defragment-member.ts';
import type { CommandContext } from './register.ts';
import { checkAndShow } from './run-check.ts';

async function memberOfActiveFile(context: CommandContext): Promise<MemberMatch> {
  const document = vscode.window.activeTextEditor?.document;
  const clusters = configuredClusters();
  if (clusters.some((c) => !context.tree.report(c.name))) await context.tree.refresh();
  const known = clusters.flatMap((c) => {
    const report = context.tree.report(c.name);
    return report ? [{ name: c.name, report }] : [];
  });
  const match = memberOfConfigText(document?.getText() ?? '', document?.fileName ?? '', known);
  if ('error' in match) throw new Error(match.error);
  return match;
}

export async function defragmentThisMember(context: CommandContext): Promise<void> {
  const match = await memberOfActiveFile(context);
  const cluster = configuredClusters().find((c) => c.name === match.cluster);
  if (!cluster) throw new Error(`cluster ${match.cluster} is no longer configured`);
  await defragmentMember(context, { kind: 'member', cluster, member: match.member });
}

export async function runCheckForThisMember(context: CommandContext): Promise<void> {
  const match = await memberOfActiveFile(context);
  const cluster = configuredClusters().find((c) => c.name === match.cluster);
  if (!cluster) throw new Error(`cluster ${match.cluster} is no longer configured`);
  const connection = { ...(await connectionFor(cluster, context.extension.secrets)), endpoints: [match.member.endpoint], discover: false, metricsUrls: undefined };
  await checkAndShow(context, connection, `${match.member.name} (${cluster.name})`);
}
