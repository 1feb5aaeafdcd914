/**
 * `@openclaw/infra-components`: Pulumi components for a hardened, self-hosted
 * OpenClaw on Hetzner Cloud behind Tailscale.
 */
export { OpenClawDeployment, type OpenClawDeploymentArgs } from "./deployment.js";
export { Network, type NetworkArgs, DEFAULT_LABELS } from "./network/network.js";
export { Host, type HostArgs, HOST_DEFAULTS } from "./host/host.js";
export { Gateway, type GatewayArgs, GATEWAY_DEFAULTS } from "./gateway/gateway.js";
export { Sandbox, type SandboxArgs, type SandboxOptions, SANDBOX_DEFAULTS } from "./sandbox/sandbox.js";
export { TelegramSchedules, type TelegramSchedulesArgs, type TelegramOptions } from "./telegram/telegram-schedules.js";
export { WorkspaceSync, type WorkspaceSyncArgs, type WorkspaceSyncOptions, WORKSPACE_SYNC_DEFAULTS } from "./workspace/workspace-sync.js";
export { StateBackups, type StateBackupsArgs, type BackupOptions, BACKUP_DEFAULTS } from "./backup/state-backups.js";
export { renderBackupStep, renderBackupUnits, BACKUP_PROGRAM, RESTORE_PROGRAM, type BackupSettings } from "./backup/steps.js";
export { renderVerifyStep, parseVerifyReport, type VerifyReport, type VerifyCheck, type VerifySettings } from "./verify/verify-step.js";

// The rendering core: pure functions that produce everything put on a host.
export { renderDeployment, renderedConfigText, type Plain, type PlainDeploymentArgs, type RenderSecrets, type RenderedDeployment } from "./render.js";
export { renderCloudConfig, renderSshdConfig, USER_DATA_LIMIT_BYTES, type CloudConfigSettings, type CloudConfigSecrets } from "./host/cloud-config.js";
export {
  renderGatewayConfig,
  mergeConfigPatches,
  configText,
  TRUSTED_PROXIES,
  type ConfigPatch,
  type GatewayConfigSettings,
  type GatewayConfigSecrets,
} from "./gateway/openclaw-config.js";
export { renderSandboxConfig, renderSandboxDockerfile, BASE_DOCKERFILE, BASE_IMAGE_TAG, type SandboxConfigSettings } from "./sandbox/sandbox-config.js";
export {
  renderGatewaySteps,
  renderGatewayUnit,
  SECRET_PLACEHOLDERS,
  type GatewaySettings,
  type GatewaySecrets,
  type GatewaySteps,
  type NodeRuntimeSettings,
} from "./gateway/steps.js";
export { renderSandboxSteps, type SandboxSettings, type SandboxSteps } from "./sandbox/steps.js";
export { renderTelegramConfig, type TelegramConfigSettings, type TelegramConfigSecrets } from "./telegram/telegram-config.js";
export { renderTelegramSteps, type TelegramSettings, type TelegramSteps } from "./telegram/steps.js";
export {
  DEFAULT_SCHEDULES,
  DEFAULT_TIMEZONE,
  DECLARATION_KEY_PREFIX,
  renderDeclaredJobs,
  scheduleIssues,
  cronProblem,
  isTimezone,
  nextRuns,
  type Schedule,
  type DeclaredJob,
} from "./telegram/schedules.js";
export { renderWorkspaceSyncSteps, type WorkspaceSyncSettings, type WorkspaceSyncSecrets, type WorkspaceSyncSteps } from "./workspace/steps.js";
export { parseGitSshUrl, timeSpanSeconds, renderSyncTimer, type GitSshUrl } from "./workspace/workspace-config.js";
export { renderStep, type RemoteStep, type StepSource } from "./remote/step.js";
export type { RemoteConnectionArgs } from "./remote/remote-step.js";
export { resolveConnectionHost, resolveTailscaleUrl } from "./remote/connection.js";

export { OpenClawArgsError, type ArgIssue } from "./validate/errors.js";
export { DEFAULT_OPENCLAW_VERSION, DEFAULT_NODE_RUNTIME, DEFAULT_CLAUDE_CODE_VERSION } from "./versions.js";
export { KNOWN_MODELS, RETIRED_MODELS } from "./validate/rules.js";
