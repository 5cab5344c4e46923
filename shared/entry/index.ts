// The core as the doors see it: everything the kubectl plugin and the VS Code extension call, render with or name, in
// one module. A door imports the core from here (the layering test holds it to that); what is not here is the core's
// own business.

export type { VerdictStatus } from '../analyse/analyse.ts';
export type { Finding, Severity } from '../analyse/finding.ts';
export type { CheckReport, MemberReport } from '../analyse/report.ts';
export type { ConnectionOptions } from '../connect/types.ts';
export type { Logger } from '../ports.ts';

export {
  ALERT_DEFAULTS, ALERT_FORMAT_NAMES, ALERT_FORMATS, ALERT_INPUTS, alertRulesName, alertsDocument, selectorProblem, type AlertsInput,
} from './alerts.ts';
export { DISK_INPUTS, LOAD_DEFAULTS, LOAD_INPUTS, PASS_RULE_TEXT, runDiskProbe, runLoad, WORKLOADS, type LoadInput } from './bench.ts';
export {
  anyAtLeast, CHECK_DEFAULTS, CHECK_INPUTS, checkRequest, FAIL_ON_INPUT, failIfNothingAnswered, failOnSeverity, memberFindings, reportFailure, runCheck, runStatus, worstSeverity, type CheckInput,
} from './check.ts';
export { configProblems, isEtcdConfig, memberOfConfigText, type ConfigProblem, type MemberMatch } from './config.ts';
export { connect, CONNECTION_INPUTS, kubeContexts, type ConnectionRequest } from './connect.ts';
export { DASHBOARD_INPUTS, dashboardDocument } from './dashboard.ts';
export { clusterSpecs, connectCluster, Fleet, needsPassword, type ClusterSpec } from './fleet.ts';
export { applyObjects, INSTALL_FORMATS, INSTALL_INPUTS, installDocument, installRequest, type InstallInput, type InstallRequest } from './install.ts';
export { KEYSPACE_INPUTS, keyspaceRequest, runKeyspace, type KeyspaceRequest } from './keyspace.ts';
export { analyseLogs, LOGS_INPUTS, logsSince, podLogs, readLogFile, type LogSource } from './logs.ts';
export {
  compact, COMPACT_INPUTS, compactRequest, describePolicy, MAINTAIN_INPUTS, maintainRequest, maintenanceProblem,
  planMaintenance, runMaintenance, SAFETY_GATES, SNAPSHOT_FIRST_INPUT, type MaintainRequest,
} from './maintain.ts';
export { keepReport, newestReport, reportDocument, reportTitle } from './report.ts';
export { SERVE_INPUTS, serveRequest, startExporter, type Exporter, type ServeInput, type ServeRequest } from './serve.ts';
export { SNAPSHOT_INPUTS, takeSnapshot, type SnapshotRequest } from './snapshot.ts';
export { WATCH_INPUTS, watchReports, watchRequest, type WatchRequest } from './watch.ts';

export { renderDiskText, renderLoadText } from '../render/bench-text.ts';
export { renderCheckText, renderStatusText } from '../render/check-text.ts';
export { ansi, plain } from '../render/colour.ts';
export { renderData } from '../render/format.ts';
export { renderKeyspaceText } from '../render/keyspace-text.ts';
export { renderLogsText } from '../render/logs-text.ts';
export {
  maintenanceEventLine, maintenanceQuestion, planStepLine, renderCompactText, renderDefragResultText, renderPlanText, snapshotLine,
  snapshotProgress, stepImpact, stepResultLine,
} from '../render/maintenance-text.ts';
export { renderCheckMarkdown, renderStatusMarkdown } from '../render/markdown.ts';
export { memberSummary } from '../render/member-rows.ts';
export { wrap } from '../render/table.ts';
export { renderWatchFrame, renderWatchLine } from '../render/watch-view.ts';

export { formatBytes } from '../util/bytes.ts';
export { formatDuration } from '../util/duration.ts';
export { describeError, errorInWords, input, RefusedError, sayInWords, UnreachableError, UsageError, type Field } from '../util/errors.ts';
export { writeFileWhole } from '../util/files.ts';
export { choice, oneOf, type InputSpec } from '../util/input.ts';
