/**
 * The argument names `OpenClawDeployment` knows, at every level, so that a
 * misspelt or unsupported key fails at construction instead of being ignored.
 */
import type { BackupOptions } from "./backup/state-backups.js";
import type { OpenClawDeploymentArgs } from "./deployment.js";
import type { SandboxOptions } from "./sandbox/sandbox.js";
import type { TelegramOptions } from "./telegram/telegram-schedules.js";
import { argKeys } from "./validate/known-keys.js";
import type { ArgValidator } from "./validate/validator.js";
import type { WorkspaceSyncOptions } from "./workspace/workspace-sync.js";

const DEPLOYMENT = argKeys<OpenClawDeploymentArgs>({
  tailscaleAuthKey: true, claudeSetupToken: true, tailnetDnsName: true, serverName: true, serverType: true, location: true,
  image: true, backups: true, labels: true, openclawVersion: true, model: true, thinkingDefault: true, connectionHost: true,
  gatewayPort: true, gatewayTokenVersion: true, nodeRuntime: true, sandbox: true, telegram: true, workspaceSync: true, verify: true,
});
const TELEGRAM = argKeys<TelegramOptions>({ botToken: true, userId: true, timezone: true, schedules: true, apiRoot: true });
const SANDBOX = argKeys<SandboxOptions>({
  enabled: true, mode: true, workspaceAccess: true, network: true, image: true, dockerfile: true, dockerfileExtras: true, claudeCodeVersion: true,
});
const WORKSPACE_SYNC = argKeys<WorkspaceSyncOptions>({ repoUrl: true, interval: true, gitUserName: true, gitUserEmail: true });
const BACKUPS = argKeys<BackupOptions>({ enabled: true, schedule: true, keep: true, hetzner: true });

/** Records every unknown key of a deployment's arguments and of its blocks. */
export function checkDeploymentKeys(args: OpenClawDeploymentArgs, v: ArgValidator): void {
  v.knownKeys("", args, DEPLOYMENT);
  v.knownKeys("telegram", args.telegram, TELEGRAM);
  v.knownKeys("sandbox", args.sandbox, SANDBOX);
  v.knownKeys("workspaceSync", args.workspaceSync, WORKSPACE_SYNC);
  v.knownKeys("backups", args.backups, BACKUPS);
}
