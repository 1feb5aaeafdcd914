/**
 * The components that build on the gateway, in the order their steps run
 * (one after another, so a gateway restart never overlaps a step that talks to
 * the gateway). `OpenClawDeployment` and `renderDeployment` are two loops over
 * this one list; each part says, once, how its settings come from its
 * resolved arguments, what it renders and what `verify` checks for it. Pure.
 */
import type { Unwrap } from "@pulumi/pulumi";
import { backupSettings } from "./backup/args.js";
import {
  BACKUP_REMOVAL,
  BACKUP_SECRET_PLACEHOLDERS,
  BACKUP_STEPS,
  offServerSecrets,
  type BackupSecrets,
  type BackupSettings,
} from "./backup/steps.js";
import type { ResolvedDeployment } from "./deployment-args.js";
import { discordSettings } from "./discord/args.js";
import { renderDiscordConfig, type DiscordConfigSecrets } from "./discord/discord-config.js";
import { DISCORD_REMOVAL, DISCORD_STEPS, type DiscordSettings } from "./discord/steps.js";
import { slackSettings } from "./slack/args.js";
import { renderSlackConfig, type SlackConfigSecrets } from "./slack/slack-config.js";
import { SLACK_REMOVAL, SLACK_STEPS, type SlackSettings } from "./slack/steps.js";
import { whatsAppSettings } from "./whatsapp/args.js";
import { WHATSAPP_REMOVAL, WHATSAPP_STEPS, type WhatsAppSettings } from "./whatsapp/steps.js";
import { renderWhatsAppConfig } from "./whatsapp/whatsapp-config.js";
import type { GatewayFacts } from "./gateway/args.js";
import type { ConfigPatch } from "./gateway/openclaw-config.js";
import type { RemoteStep, StepSpec } from "./remote/step.js";
import { sandboxSettings } from "./sandbox/args.js";
import { BASE_DOCKERFILE, renderSandboxConfig } from "./sandbox/sandbox-config.js";
import { SANDBOX_REMOVAL, SANDBOX_STEPS, type SandboxSettings } from "./sandbox/steps.js";
import { scheduleSettings } from "./schedules/args.js";
import type { DeclaredJob } from "./schedules/schedules.js";
import { SCHEDULE_STEPS, type ScheduleSettings } from "./schedules/steps.js";
import { telegramChannelSettings } from "./telegram/args.js";
import { TELEGRAM_CHANNEL_STEPS, TELEGRAM_REMOVAL, type TelegramChannelSettings } from "./telegram/steps.js";
import { renderTelegramConfig, type TelegramConfigSecrets } from "./telegram/telegram-config.js";
import type { VerifySettings } from "./verify/verify-step.js";
import { workspaceSyncSettings } from "./workspace/args.js";
import {
  WORKSPACE_SYNC_REMOVAL,
  WORKSPACE_SYNC_STEPS,
  type WorkspaceSyncSecrets,
  type WorkspaceSyncSettings,
} from "./workspace/steps.js";
import { agentSyncNames, renderAgentSyncService, renderSyncTimer } from "./workspace/workspace-config.js";

/** What `verify` checks for the parts: each part sets its own. */
export type VerifyFacts = Omit<
  VerifySettings,
  "port" | "openclawVersion" | "nodeVersion" | "nodeName" | "modelProviders" | "otherSteps"
>;

/** Secrets a plain rendering is given (the components generate them). */
export interface GeneratedSecrets {
  readonly deployPrivateKey: string;
  /** Each synced agent's deploy key (private, OpenSSH), by agent id; placeholders where absent. */
  readonly agentDeployPrivateKeys?: Readonly<Record<string, string>>;
  /** The off-server backups' SFTP login key; a placeholder when absent. */
  readonly offServerPrivateKey?: string;
}

/** The parts' keys in a resolved deployment. */
export type PartKey =
  "sandbox" | "telegram" | "schedules" | "discord" | "slack" | "whatsapp" | "workspaceSync" | "backups";

/** What a part adds to a deployment besides its steps. */
export interface PartArtefacts {
  readonly config?: ConfigPatch;
  readonly units?: Readonly<Record<string, string>>;
  readonly schedules?: readonly DeclaredJob[];
  readonly dockerfiles?: { readonly base: string; readonly custom: string };
}

// Methods, not function properties: their parameters are compared
// bivariantly, so every part fits the list's `AnyPart` element type.
export interface DeploymentPart<K extends PartKey, S, Sec> {
  /** Its arguments' key in the resolved deployment, and its property on `OpenClawDeployment`. */
  readonly key: K;
  /** Its child's name: `${deployment}-${child}`. */
  readonly child: string;
  /** Its settings; undefined when it has nothing to run on the host. */
  settings(r: Unwrap<NonNullable<ResolvedDeployment[K]>>, gw: GatewayFacts): S | undefined;
  readonly steps: StepSpec<S, Sec, string>;
  /** Its secrets in a plain rendering. */
  secrets(r: Unwrap<NonNullable<ResolvedDeployment[K]>>, generated: GeneratedSecrets): Sec;
  /** What it adds besides steps, in a plain rendering. */
  artefacts(s: S, secrets: Sec): PartArtefacts;
  /** What `verify` checks for it (`settings` undefined: nothing on the host). */
  verify(s: S | undefined): Partial<VerifyFacts>;
  /** Whether it is switched off: then `removal` runs instead of its steps. */
  isOff(r: ResolvedDeployment[K]): boolean;
  /** The steps that make sure nothing it installed is left while it is off. */
  readonly removal: StepSpec<{ readonly port: number }, Record<string, never>, string>;
}

const sandbox: DeploymentPart<"sandbox", SandboxSettings, Record<string, never>> = {
  key: "sandbox",
  child: "sandbox",
  settings: sandboxSettings,
  steps: SANDBOX_STEPS,
  secrets: () => ({}),
  artefacts: (s) => ({ config: renderSandboxConfig(s), dockerfiles: { base: BASE_DOCKERFILE, custom: s.dockerfile } }),
  verify: (s) => (s ? { sandboxImage: s.image } : {}),
  isOff: (r) => r === undefined,
  removal: SANDBOX_REMOVAL,
};

const telegram: DeploymentPart<"telegram", TelegramChannelSettings, TelegramConfigSecrets> = {
  key: "telegram",
  child: "telegram",
  settings: telegramChannelSettings,
  steps: TELEGRAM_CHANNEL_STEPS,
  secrets: (r) => ({ botToken: r.botToken }),
  artefacts: (s, secrets) => ({ config: renderTelegramConfig(s, secrets) }),
  verify: (s) => (s ? { channels: ["telegram"] } : {}),
  isOff: (r) => r === undefined,
  removal: TELEGRAM_REMOVAL,
};

/** Nothing to remove: the sync with no jobs declared removes the library's. */
const NO_REMOVAL: DeploymentPart<PartKey, unknown, unknown>["removal"] = {
  render: () => ({}),
  order: [],
  placeholders: {},
};

const schedules: DeploymentPart<"schedules", ScheduleSettings, Record<string, never>> = {
  key: "schedules",
  child: "schedules",
  settings: scheduleSettings,
  steps: SCHEDULE_STEPS,
  secrets: () => ({}),
  artefacts: (s) => ({ schedules: s.jobs }),
  verify: (s) => (s && s.jobs.length > 0 ? { scheduleKeys: s.jobs.map((j) => j.key) } : {}),
  // Always on: with no jobs declared, its sync removes the ones the library made.
  isOff: () => false,
  removal: NO_REMOVAL,
};

const discord: DeploymentPart<"discord", DiscordSettings, DiscordConfigSecrets> = {
  key: "discord",
  child: "discord",
  settings: discordSettings,
  steps: DISCORD_STEPS,
  secrets: (r) => ({ botToken: r.botToken }),
  artefacts: (s, secrets) => ({ config: renderDiscordConfig(s, secrets) }),
  verify: (s) => (s ? { channels: ["discord"] } : {}),
  isOff: (r) => r === undefined,
  removal: DISCORD_REMOVAL,
};

const slack: DeploymentPart<"slack", SlackSettings, SlackConfigSecrets> = {
  key: "slack",
  child: "slack",
  settings: slackSettings,
  steps: SLACK_STEPS,
  secrets: (r) => ({ botToken: r.botToken, appToken: r.appToken }),
  artefacts: (s, secrets) => ({ config: renderSlackConfig(s, secrets) }),
  verify: (s) => (s ? { channels: ["slack"] } : {}),
  isOff: (r) => r === undefined,
  removal: SLACK_REMOVAL,
};

const whatsapp: DeploymentPart<"whatsapp", WhatsAppSettings, Record<string, never>> = {
  key: "whatsapp",
  child: "whatsapp",
  settings: whatsAppSettings,
  steps: WHATSAPP_STEPS,
  secrets: () => ({}),
  artefacts: (s) => ({ config: renderWhatsAppConfig(s) }),
  verify: (s) => (s ? { channels: ["whatsapp"] } : {}),
  isOff: (r) => r === undefined,
  removal: WHATSAPP_REMOVAL,
};

const workspaceSync: DeploymentPart<"workspaceSync", WorkspaceSyncSettings, WorkspaceSyncSecrets> = {
  key: "workspaceSync",
  child: "workspace",
  settings: (r) => workspaceSyncSettings(r),
  steps: WORKSPACE_SYNC_STEPS,
  secrets: (_r, generated) => ({
    deployPrivateKey: generated.deployPrivateKey,
    agentDeployPrivateKeys: generated.agentDeployPrivateKeys ?? {},
  }),
  artefacts: (s) => ({
    units: {
      "openclaw-workspace-sync.timer": renderSyncTimer(s.intervalSeconds),
      ...Object.fromEntries(
        s.agents.flatMap((a) => {
          const names = agentSyncNames(a.id);
          return [
            [names.timer, renderSyncTimer(s.intervalSeconds)],
            [names.service, renderAgentSyncService(a.id, a.workspace)],
          ];
        }),
      ),
    },
  }),
  verify: (s) => ({
    syncTimer: s !== undefined,
    agentSyncTimers: s?.agents.map((a) => agentSyncNames(a.id).timer) ?? [],
  }),
  // The child stays (it owns the deploy key); only its steps need a repository.
  isOff: (r) => r === undefined || r.repoUrl === undefined,
  removal: WORKSPACE_SYNC_REMOVAL,
};

const backups: DeploymentPart<"backups", BackupSettings, BackupSecrets> = {
  key: "backups",
  child: "backups",
  settings: (r) => backupSettings(r),
  steps: BACKUP_STEPS,
  secrets: (r, generated) =>
    r.offServer
      ? offServerSecrets(r.offServer, generated.offServerPrivateKey ?? BACKUP_SECRET_PLACEHOLDERS.offServerPrivateKey)
      : {},
  // The plan shows the step's own environment; its units are not listed apart.
  artefacts: () => ({}),
  verify: (s) => ({ backupTimer: s !== undefined, offServerBackup: s?.offServer !== undefined }),
  isOff: (r) => r === undefined,
  removal: BACKUP_REMOVAL,
};

/** Any part of the list, for the loops that treat them alike. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPart = DeploymentPart<PartKey, any, any>;

/**
 * The parts, in the order their steps run. The schedules come after every
 * channel: their jobs announce on them, and OpenClaw refuses a job for a
 * channel the running gateway has not configured.
 */
export const DEPLOYMENT_PARTS: readonly AnyPart[] = [
  sandbox,
  discord,
  slack,
  whatsapp,
  telegram,
  schedules,
  workspaceSync,
  backups,
];

/** The verify step's settings: the gateway's facts, what each part declared, and every other step. */
export function verifySettings(
  gw: GatewayFacts,
  node: { readonly serverName: string; readonly tailnetDnsName?: string },
  facts: readonly Partial<VerifyFacts>[],
  otherSteps: readonly RemoteStep[],
): VerifySettings {
  return {
    port: gw.port,
    openclawVersion: gw.openclawVersion,
    nodeVersion: gw.nodeVersion,
    modelProviders: gw.modelProviders,
    nodeName: node.tailnetDnsName ? `${node.serverName}.${node.tailnetDnsName.replace(/\.$/, "")}` : node.serverName,
    syncTimer: false,
    agentSyncTimers: [],
    backupTimer: false,
    offServerBackup: false,
    ...Object.assign({}, ...facts),
    channels: facts.flatMap((f) => f.channels ?? []),
    otherSteps,
  };
}
