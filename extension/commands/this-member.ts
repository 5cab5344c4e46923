// Editor context menu on an etcd configuration file: "etcd: Defragment This Member" and "etcd: Run Check for This
// Member", for the member the file describes (found by its advertised client URLs, else its --name) among the
// clusters of the etcd view.

import * as vscode from 'vscode';
import { type ClusterSpec, type MemberMatch, memberOfConfigText } from '../../shared/entry/index.ts';
import { configuredClusters, connectionFor } from '../clusters.ts';
import { defragmentMember } from './defragment-member.ts';
import type { CommandContext } from './register.ts';
import { checkAndShow } from './run-check.ts';

/** The member the active file describes, and the cluster of the view it is in. */
async function memberOfActiveFile(context: CommandContext): Promise<MemberMatch & { spec: ClusterSpec }> {
  const document = vscode.window.activeTextEditor?.document;
  const clusters = configuredClusters();
  if (clusters.some((c) => !context.tree.report(c.name))) await context.tree.refresh();
  const known = clusters.flatMap((c) => {
    const report = context.tree.report(c.name);
    return report ? [{ name: c.name, report }] : [];
  });
  const match = memberOfConfigText(document?.getText() ?? '', document?.fileName ?? '', known);
  if ('error' in match) throw new Error(match.error);
  const spec = configuredClusters().find((c) => c.name === match.cluster);
  if (!spec) throw new Error(`cluster ${match.cluster} is no longer configured`);
  return { ...match, spec };
}

export async function defragmentThisMember(context: CommandContext): Promise<void> {
  const { spec, member } = await memberOfActiveFile(context);
  await defragmentMember(context, { kind: 'member', cluster: spec, member });
}

export async function runCheckForThisMember(context: CommandContext): Promise<void> {
  const { spec, member } = await memberOfActiveFile(context);
  const connection = { ...(await connectionFor(spec, context.extension.secrets)), endpoints: [member.endpoint], discover: false, metricsUrls: undefined };
  await checkAndShow(context, connection, `${member.name} (${spec.name})`);
}
