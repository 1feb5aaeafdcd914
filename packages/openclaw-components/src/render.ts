/**
 * The rendering seam: everything a deployment puts on a host, for plain
 * arguments, without Pulumi. It validates and defaults the arguments with the
 * same functions the components use and calls the same render functions, so
 * what the tests, the plan and the real-host tier see is what the components
 * create.
 */
import { checkDeploymentKeys } from "./deployment-keys.js";
import { GATEWAY_DEFAULTS, validateGatewayArgs } from "./gateway/gateway.js";
import { configText, mergeConfigPatches, renderGatewayConfig, type ConfigPatch } from "./gateway/openclaw-config.js";
import { renderGatewaySteps, renderGatewayUnit, type NodeRuntimeSettings } from "./gateway/steps.js";
import { renderCloudConfig } from "./host/cloud-config.js";
import { HOST_DEFAULTS, validateHostArgs } from "./host/host.js";
import type { OpenClawDeploymentArgs } from "./deployment.js";
import type { RemoteStep } from "./remote/step.js";
import { BASE_DOCKERFILE, renderSandboxConfig, renderSandboxDockerfile } from "./sandbox/sandbox-config.js";
import { validateSandboxArgs } from "./sandbox/sandbox.js";
import { renderSandboxSteps } from "./sandbox/steps.js";
import { renderDeclaredJobs, type DeclaredJob, type Schedule } from "./telegram/schedules.js";
import { renderTelegramSteps } from "./telegram/steps.js";
import { renderTelegramConfig } from "./telegram/telegram-config.js";
import { validateTelegramArgs } from "./telegram/telegram-schedules.js";
import { ArgValidator } from "./validate/validator.js";
import { renderWorkspaceSyncSteps } from "./workspace/steps.js";
import { renderSyncTimer, timeSpanSeconds } from "./workspace/workspace-config.js";
import { validateWorkspaceSyncArgs } from "./workspace/workspace-sync.js";
import { renderVerifyStep } from "./verify/verify-step.js";
import { normalizeBackups } from "./deployment.js";
import { validateBackupArgs } from "./backup/state-backups.js";
import { renderBackupStep } from "./backup/steps.js";

/** Plain (non-Output) deployment arguments. */
export type PlainDeploymentArgs = {
  [K in keyof OpenClawDeploymentArgs]: Plain<OpenClawDeploymentArgs[K]>;
};
/** `T` with every `pulumi.Input` narrowed to its plain value. */
export type Plain<T> = T extends PromiseLike<unknown> ? never : T extends { apply: unknown } ? never : T extends object ? { [K in keyof T]: Plain<T[K]> } : T;

/** Values that only exist once resources do: keys and generated tokens. */
export interface RenderSecrets {
  /** OpenSSH public key of the admin user (not secret, but generated). */
  readonly adminPublicKey: string;
  readonly gatewayToken: string;
  /** Workspace deploy key (private, OpenSSH). */
  readonly deployPrivateKey: string;
}

export interface RenderedDeployment {
  /** The server's first-boot `#cloud-config` (holds the Tailscale auth key). */
  readonly userData: string;
  /** Every remote step, in the order they run. */
  readonly steps: readonly RemoteStep[];
  /** The whole `openclaw.json` the config patches add up to. */
  readonly openclawConfig: ConfigPatch;
  /** Declared scheduled jobs (empty without Telegram). */
  readonly schedules: readonly DeclaredJob[];
  /** systemd units the steps install, by file name. */
  readonly units: Readonly<Record<string, string>>;
  /** Dockerfiles of the sandbox images (absent when the sandbox is off). */
  readonly dockerfiles?: { readonly base: string; readonly custom: string };
}

/**
 * Renders a deployment. Throws `OpenClawArgsError` for invalid arguments,
 * exactly as the component would.
 */
export function renderDeployment(args: PlainDeploymentArgs, secrets: RenderSecrets, name = "openclaw"): RenderedDeployment {
  const v = new ArgValidator(`OpenClawDeployment "${name}"`);
  checkDeploymentKeys(args, v);
  const backups = normalizeBackups(args.backups);
  const host = validateHostArgs({ ...args, backups: backups.hetzner }, v);
  const bk = backups.enabled ? validateBackupArgs(backups, v, "backups.") : undefined;
  const gw = validateGatewayArgs({ ...args, port: args.gatewayPort }, v, { port: "gatewayPort" });
  const sandboxEnabled = args.sandbox?.enabled ?? true;
  const sb = sandboxEnabled ? validateSandboxArgs(args.sandbox ?? {}, v, "sandbox.") : undefined;
  const tgArgs = args.telegram?.botToken !== undefined ? { ...args.telegram, botToken: args.telegram.botToken } : undefined;
  const tg = tgArgs ? validateTelegramArgs(tgArgs, v, "telegram.", `OpenClawDeployment "${name}"`) : undefined;
  const ws = args.workspaceSync ? validateWorkspaceSyncArgs(args.workspaceSync, v, "workspaceSync.") : undefined;
  v.throwIfInvalid();

  const plain = <T>(x: unknown): T => x as T;
  const serverName = plain<string>(host.serverName ?? HOST_DEFAULTS.serverName);
  const userData = renderCloudConfig(
    { hostname: serverName, adminUser: HOST_DEFAULTS.adminUser, adminPublicKey: secrets.adminPublicKey },
    { tailscaleAuthKey: plain<string>(args.tailscaleAuthKey) },
  );
  const gatewaySettings = {
    openclawVersion: plain<string>(gw.openclawVersion),
    model: plain<string>(gw.model),
    thinkingDefault: plain<string>(gw.thinkingDefault),
    port: plain<number>(gw.port),
    nodeRuntime: plain<NodeRuntimeSettings>(gw.nodeRuntime ?? GATEWAY_DEFAULTS.nodeRuntime),
  };
  const gatewaySteps = renderGatewaySteps(gatewaySettings, { gatewayToken: secrets.gatewayToken, claudeSetupToken: plain<string>(args.claudeSetupToken) });
  const steps: RemoteStep[] = Object.values(gatewaySteps);
  const patches: ConfigPatch[] = [renderGatewayConfig(gatewaySettings, secrets)];
  const units: Record<string, string> = { "openclaw-gateway.service": renderGatewayUnit(gatewaySettings.port) };
  let dockerfiles: RenderedDeployment["dockerfiles"];

  if (sb) {
    const custom = renderSandboxDockerfile({ extraLines: plain<string[]>(sb.dockerfileExtras), ...(sb.dockerfile !== undefined ? { dockerfile: sb.dockerfile } : {}) });
    const s = {
      mode: plain<"all">(sb.mode),
      workspaceAccess: plain<"rw">(sb.workspaceAccess),
      network: plain<string>(sb.network),
      image: plain<string>(sb.image),
      dockerfile: custom,
      openclawVersion: gatewaySettings.openclawVersion,
      claudeCodeVersion: plain<string>(sb.claudeCodeVersion),
      nodeVersion: gatewaySettings.nodeRuntime.version,
      port: gatewaySettings.port,
    };
    steps.push(...Object.values(renderSandboxSteps(s)));
    patches.push(renderSandboxConfig(s));
    dockerfiles = { base: BASE_DOCKERFILE, custom };
  }

  let schedules: DeclaredJob[] = [];
  if (tg && tgArgs) {
    const s = {
      userId: plain<string>(tg.userId),
      timezone: plain<string>(tg.timezone),
      schedules: plain<Schedule[]>(tg.schedules),
      port: gatewaySettings.port,
      ...(tg.apiRoot !== undefined ? { apiRoot: plain<string>(tg.apiRoot) } : {}),
    };
    const botToken = plain<string>(tgArgs.botToken);
    steps.push(...Object.values(renderTelegramSteps(s, { botToken })));
    patches.push(renderTelegramConfig(s, { botToken }));
    schedules = renderDeclaredJobs(s.schedules, s);
  }

  if (ws && ws.repoUrl !== undefined) {
    const intervalSeconds = timeSpanSeconds(plain<string>(ws.interval))!;
    steps.push(
      ...Object.values(
        renderWorkspaceSyncSteps(
          { repoUrl: plain<string>(ws.repoUrl), intervalSeconds, gitUserName: plain<string>(ws.gitUserName), gitUserEmail: plain<string>(ws.gitUserEmail) },
          { deployPrivateKey: secrets.deployPrivateKey },
        ),
      ),
    );
    units["openclaw-workspace-sync.timer"] = renderSyncTimer(intervalSeconds);
  }

  if (bk) steps.push(renderBackupStep({ schedule: plain<string>(bk.schedule), keep: plain<number>(bk.keep) }));

  if (args.verify ?? true) {
    steps.push(
      renderVerifyStep({
        port: gatewaySettings.port,
        openclawVersion: gatewaySettings.openclawVersion,
        ...(sb ? { sandboxImage: plain<string>(sb.image) } : {}),
        ...(tg ? { scheduleKeys: schedules.map((j) => j.key) } : {}),
        syncTimer: ws?.repoUrl !== undefined,
        backupTimer: bk !== undefined,
        otherSteps: [...steps],
      }),
    );
  }

  return { userData, steps, openclawConfig: mergeConfigPatches(...patches), schedules, units, ...(dockerfiles ? { dockerfiles } : {}) };
}

/** `openclawConfig` as file text. */
export function renderedConfigText(r: RenderedDeployment): string {
  return configText(r.openclawConfig);
}
