// The version advisor: from the versions the members report, findings with the concrete release to move to. Known bugs
// (each named, with its source and the first fixed release), a line past its end of life with the upgrade path one
// minor version at a time, and members on different versions (an upgrade left half done). Pure.

import type { ClusterSnapshot } from '../collect/types.ts';
import {
  bugsOf, compareVersions, fixFor, lineOf, parseVersion, releaseLine, UPGRADE_STEPS, upgradePath, versionText,
  type EtcdVersion, type KnownBug,
} from './etcd-versions.ts';
import { worstSeverity, type Finding, type Severity } from './finding.ts';
import { memberName, withStatus } from './members.ts';
import { compareNames } from '../util/names.ts';

/** Members by the version they report, lowest version first. */
function byVersion(cluster: ClusterSnapshot): Array<{ version: EtcdVersion; text: string; members: string[] }> {
  const groups = new Map<string, string[]>();
  for (const m of withStatus(cluster.members)) groups.set(m.status.version, [...(groups.get(m.status.version) ?? []), memberName(m)]);
  return [...groups.entries()]
    .flatMap(([text, members]) => {
      const version = parseVersion(text);
      return version ? [{ version, text, members: members.sort(compareNames) }] : [];
    })
    .sort((a, b) => compareVersions(a.version, b.version));
}

/** A bug fixed on the member's own line keeps its severity; one fixed only in a later minor version informs. */
function bugSeverity(bug: KnownBug, v: EtcdVersion): Severity {
  return lineOf(parseVersion(fixFor(bug, v)) as EtcdVersion) === lineOf(v) ? bug.severity : 'info';
}

function knownBugs(group: ReturnType<typeof byVersion>[number]): Finding[] {
  const bugs = bugsOf(group.version);
  if (bugs.length === 0) return [];
  const line = releaseLine(group.version);
  const target = line?.latest ?? fixFor(bugs[0] as KnownBug, group.version);
  const severity = worstSeverity(bugs.map((b) => ({ severity: bugSeverity(b, group.version) })));
  const onLine = bugs.filter((b) => bugSeverity(b, group.version) !== 'info');
  return [{
    id: 'etcd-version-bugs', category: 'version', severity,
    member: group.members.length === 1 ? group.members[0] : undefined,
    title: `etcd ${group.text} (${group.members.join(', ')}) has ${bugs.length} known bug${bugs.length > 1 ? 's' : ''} fixed in later releases`
      + (onLine.length ? `: ${onLine[0]?.what}${onLine.length > 1 ? `, +${onLine.length - 1} more` : ''}` : ''),
    value: group.text,
    threshold: onLine.map((b) => fixFor(b, group.version))
      .sort((a, b) => compareVersions(parseVersion(b) as EtcdVersion, parseVersion(a) as EtcdVersion))[0] ?? null,
    evidence: bugs.map((b) => `${b.what} (fixed in ${fixFor(b, group.version)}; ${b.source})`).join('; '),
    recommendation: onLine.length
      ? `Upgrade ${group.members.join(', ')} to ${target}, the newest ${lineOf(group.version)} release, one member at a time.`
      : `Fixed only in a later minor version: plan the upgrade (${upgradePath(group.version).join(' -> ') || 'none'}).`,
  }];
}

function endOfLife(group: ReturnType<typeof byVersion>[number]): Finding[] {
  const line = releaseLine(group.version);
  if (!line || line.supported) return [];
  const path = upgradePath(group.version);
  return [{
    id: 'etcd-version-eol', category: 'version', severity: 'warn',
    member: group.members.length === 1 ? group.members[0] : undefined,
    title: `etcd ${line.line} is end of life (${group.members.join(', ')} on ${group.text}): no more fixes, security ones included`,
    value: group.text, threshold: path[path.length - 1] ?? null,
    evidence: `${line.support}; ${line.source}`,
    recommendation: `Upgrade one minor version at a time, every member before the next step: ${[group.text, ...path].join(' -> ')} `
      + `(${UPGRADE_STEPS.filter((s) => compareVersions(parseVersion(`${s.from}.99`) as EtcdVersion, group.version) >= 0).map((s) => `${s.to} needs every member on ${s.minimum}+ first`).join('; ')}).`,
  }];
}

function mixed(groups: ReturnType<typeof byVersion>): Finding[] {
  if (groups.length <= 1) return [];
  const lowest = groups[0] as (typeof groups)[number];
  const highest = groups[groups.length - 1] as (typeof groups)[number];
  const lines = new Set(groups.map((g) => lineOf(g.version)));
  const step = UPGRADE_STEPS.find((s) => s.from === lineOf(lowest.version) && lines.has(s.to));
  const unsafe = step && compareVersions(lowest.version, parseVersion(step.minimum) as EtcdVersion) < 0;
  return [{
    id: 'version-mismatch', category: 'version', severity: unsafe ? 'crit' : 'warn',
    title: `members run ${groups.length} different etcd versions${lines.size > 1 ? ` (an upgrade from ${[...lines][0]} in progress)` : ''}`,
    value: groups.map((g) => g.text).join(', '), threshold: null,
    evidence: groups.map((g) => `${g.text}: ${g.members.join(', ')}`).join('; ') + (step ? `; ${step.source}` : ''),
    recommendation: unsafe && step
      ? `Upgrading to ${step.to} is only supported from ${step.minimum} on: bring ${lowest.members.join(', ')} to ${step.minimum} or later (${releaseLine(lowest.version)?.latest ?? step.minimum}) before the next member moves to ${step.to}.`
      : `Finish the rolling upgrade: run ${versionText(highest.version)} on every member (a mixed cluster runs at the lowest cluster version).`,
  }];
}

export function versionFindings(cluster: ClusterSnapshot): Finding[] {
  const groups = byVersion(cluster);
  return [...mixed(groups), ...groups.flatMap((g) => [...endOfLife(g), ...knownBugs(g)])];
}
