/**
 * `@openclaw/infra-components`: Pulumi components for a hardened, self-hosted
 * OpenClaw on Hetzner Cloud behind Tailscale.
 *
 * The components, their argument types and the defaults users build on. The
 * renderers and helpers behind them are internal; `renderDeployment` (what a
 * deployment puts on a host, without Pulumi) is in the testing entry,
 * `@openclaw/infra-components/testing`.
 */
export { OpenClawDeployment, type OpenClawDeploymentArgs } from "./deployment.js";
export type {
  AgentBinding,
  AgentOptions,
  AgentPeer,
  AgentSandboxOptions,
  AgentWorkspaceRepo,
  AgentWorkspaceSyncOptions,
} from "./agents/args.js";
export { Network, type NetworkArgs, DEFAULT_LABELS } from "./network/network.js";
export { Host, type HostArgs, HOST_DEFAULTS } from "./host/host.js";
export type { TailscaleOAuthClientOptions } from "./tailnet/args.js";
export type { MintedAccess } from "./tailnet/minted-access.js";
export {
  Gateway,
  type GatewayArgs,
  type GatewayFacts,
  type ModelAuthOptions,
  type ProviderApiKey,
  type StateRestoreSource,
  GATEWAY_DEFAULTS,
} from "./gateway/gateway.js";
export { Sandbox, type SandboxArgs, type SandboxOptions, SANDBOX_DEFAULTS } from "./sandbox/sandbox.js";
export { SandboxMode, WorkspaceAccess } from "./sandbox/args.js";
export { TelegramSchedules, type TelegramSchedulesArgs, type TelegramOptions } from "./telegram/telegram-schedules.js";
export { TelegramChannel, type TelegramChannelArgs } from "./telegram/telegram-channel.js";
export { ScheduledJobs, type ScheduledJobsArgs, type ScheduleDeliveryArgs } from "./schedules/scheduled-jobs.js";
export {
  DiscordChannel,
  type DiscordChannelArgs,
  type DiscordOptions,
  type DiscordGuildOptions,
} from "./discord/discord-channel.js";
export {
  SlackChannel,
  type SlackChannelArgs,
  type SlackOptions,
  type SlackAllowedChannelOptions,
} from "./slack/slack-channel.js";
export { WhatsAppChannel, type WhatsAppChannelArgs, type WhatsAppOptions } from "./whatsapp/whatsapp-channel.js";
export {
  WorkspaceSync,
  type WorkspaceSyncArgs,
  type WorkspaceSyncOptions,
  WORKSPACE_SYNC_DEFAULTS,
} from "./workspace/workspace-sync.js";
export {
  StateBackups,
  type StateBackupsArgs,
  type BackupOptions,
  BACKUP_DEFAULTS,
  type OffServerBackupOptions,
  type SftpTargetOptions,
  type S3TargetOptions,
  OFF_SERVER_DEFAULTS,
} from "./backup/state-backups.js";

export { DEFAULT_SCHEDULES, DEFAULT_TIMEZONE, type Schedule, type ScheduleDelivery } from "./schedules/schedules.js";
export { DEFAULT_OPENCLAW_VERSION, DEFAULT_NODE_RUNTIME, DEFAULT_CLAUDE_CODE_VERSION } from "./versions.js";
export {
  OpenClawConfigPatch,
  type OpenClawConfigPatchArgs,
  type OpenClawConfigOptions,
  OWNED_CONFIG_KEYS,
  SECRET_REF_KEY,
} from "./config-patch/openclaw-config-patch.js";
export {
  KNOWN_MODELS,
  KNOWN_PROVIDER_MODELS,
  MODEL_AUTH_PROVIDERS,
  RETIRED_MODELS,
  type ModelAuthProvider,
} from "./validate/rules.js";
export { OpenClawArgsError, type ArgIssue } from "./validate/errors.js";

// Types that appear on the components' public members.
export type { VerifyReport, VerifyCheck } from "./verify/verify-step.js";
export type { RemoteStep } from "./remote/step.js";
export type { RemoteConnectionArgs } from "./remote/remote-step.js";
export type {
  GatewaySettings,
  GatewaySteps,
  ModelAuthSettings,
  NodeRuntimeSettings,
  NodeRuntimeChecksums,
} from "./gateway/steps.js";
export type { SandboxSettings, SandboxSteps } from "./sandbox/steps.js";
export type {
  TelegramChannelSettings,
  TelegramChannelSteps,
  TelegramSettings,
  TelegramSteps,
} from "./telegram/steps.js";
export type { ScheduleSettings, ScheduleSteps } from "./schedules/steps.js";
export type { DeclaredJob } from "./schedules/schedules.js";
export type { DiscordSettings, DiscordSteps } from "./discord/steps.js";
export type { DiscordGuildSettings } from "./discord/discord-config.js";
export type { SlackSettings, SlackSteps } from "./slack/steps.js";
export type { SlackAllowedChannel } from "./slack/slack-config.js";
export type { WhatsAppSettings, WhatsAppSteps } from "./whatsapp/steps.js";
export type { PluginChannelSettings } from "./remote/plugin-channel.js";
export type { WorkspaceSyncSettings, WorkspaceSyncSteps } from "./workspace/steps.js";
export type { BackupSettings } from "./backup/steps.js";
export type { OffServerSettings } from "./backup/off-server.js";
export type { OpenClawConfigPatchSettings } from "./config-patch/args.js";
