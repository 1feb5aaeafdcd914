import * as pulumi from "@pulumi/pulumi";
import { checkDeploymentKeys } from "./deployment-keys.js";
import { Gateway, validateGatewayArgs } from "./gateway/gateway.js";
import type { NodeRuntimeSettings } from "./gateway/steps.js";
import { Host, validateHostArgs } from "./host/host.js";
import { Network } from "./network/network.js";
import { resolveTailscaleUrl } from "./remote/connection.js";
import { Sandbox, validateSandboxArgs, type SandboxOptions } from "./sandbox/sandbox.js";
import { TelegramSchedules, validateTelegramArgs, type TelegramOptions } from "./telegram/telegram-schedules.js";
import { ArgValidator } from "./validate/validator.js";
import { validateWorkspaceSyncArgs, WorkspaceSync, type WorkspaceSyncOptions } from "./workspace/workspace-sync.js";
import type * as command from "@pulumi/command";
import { createStepChain } from "./remote/remote-step.js";
import type { RemoteStep } from "./remote/step.js";
import { DECLARATION_KEY_PREFIX, slug, type Schedule } from "./telegram/schedules.js";
import { parseVerifyReport, renderVerifyStep, type VerifyReport } from "./verify/verify-step.js";
import { BACKUP_DEFAULTS, StateBackups, validateBackupArgs, type BackupOptions } from "./backup/state-backups.js";

export interface OpenClawDeploymentArgs {
  /**
   * Tailscale auth key the server joins your tailnet with at first boot
   * (secret). The only secret in user-data; later changes do not touch a
   * running server. Prefer a single-use, pre-authorised, tagged key.
   */
  tailscaleAuthKey: pulumi.Input<string>;
  /**
   * Anthropic setup token from `claude setup-token` (secret, `sk-ant-oat01-…`).
   * Reaches the host on stdin only; changing it re-runs one step.
   */
  claudeSetupToken: pulumi.Input<string>;
  /**
   * MagicDNS suffix of your tailnet, e.g. `tail1234.ts.net` (Tailscale admin
   * console → DNS). Used for the connection host and the URLs.
   * @default unset: steps connect to the bare hostname and `tailscaleUrl` is a placeholder
   */
  tailnetDnsName?: pulumi.Input<string>;
  /**
   * Server name and Tailscale hostname (RFC 1123 label, at most 63 characters).
   * @default "openclaw-vps"
   */
  serverName?: pulumi.Input<string>;
  /**
   * Hetzner server type; resizes in place.
   * @default "cx33"
   */
  serverType?: pulumi.Input<string>;
  /**
   * Hetzner location (`fsn1`, `nbg1`, `hel1`, `ash`, `hil`, `sin`); changing it replaces the server.
   * @default "fsn1"
   */
  location?: pulumi.Input<string>;
  /**
   * OS image; changing it replaces the server.
   * @default "ubuntu-24.04"
   */
  image?: pulumi.Input<string>;
  /**
   * Backups. `true`/`false` switches Hetzner's whole-disk backups only; the
   * object form also configures on-host, verified backups of OpenClaw's state
   * (`{ enabled, schedule, keep, hetzner }`).
   * @default `{ enabled: true, schedule: "daily", keep: 7, hetzner: true }`
   */
  backups?: pulumi.Input<boolean> | BackupOptions;
  /**
   * Extra labels on Hetzner resources, merged over `managed-by=openclaw-infra-components`.
   * @default {}
   */
  labels?: pulumi.Input<Record<string, string>>;
  /**
   * `openclaw` version on the host (calendar version); changing it re-runs the install step and restarts the gateway.
   * @default "2026.9.6"
   */
  openclawVersion?: pulumi.Input<string>;
  /**
   * Default model (`provider/model`); changing it rewrites the config and restarts the gateway.
   * @default "anthropic/claude-opus-5"
   */
  model?: pulumi.Input<string>;
  /**
   * Default thinking level.
   * @default "high"
   */
  thinkingDefault?: pulumi.Input<string>;
  /**
   * Address remote steps connect to instead of `<serverName>.<tailnetDnsName>` (a tailnet name or 100.x address).
   * @default `<serverName>.<tailnetDnsName>`
   */
  connectionHost?: pulumi.Input<string>;
  /**
   * Loopback port of the gateway.
   * @default 18789
   */
  gatewayPort?: pulumi.Input<number>;
  /**
   * Change (to any new value) to re-roll the gateway token; only `configure-gateway` re-runs.
   * @default 1
   */
  gatewayTokenVersion?: pulumi.Input<number | string>;
  /**
   * Node runtime download source and checksums.
   * @default Node 24.21.0 from the official Node.js distribution, SHA-256 verified
   */
  nodeRuntime?: pulumi.Input<NodeRuntimeSettings>;
  /**
   * The Docker sandbox every session runs in (on unless `enabled: false`).
   * @default `{ enabled: true, mode: "all", workspaceAccess: "rw", network: "bridge", image: "openclaw-sandbox-custom:latest" }`
   */
  sandbox?: SandboxOptions;
  /**
   * The Telegram channel and scheduled jobs. Created only when `botToken` is set
   * (so `cfg.getSecret("telegramBotToken")` can switch it off).
   * @default unset: no Telegram
   */
  telegram?: Omit<TelegramOptions, "botToken"> & { botToken?: TelegramOptions["botToken"] };
  /**
   * Git sync of the agent's workspace. The deploy key is always created
   * (output `workspaceDeployPublicKey`); the on-host sync only with `repoUrl`.
   * @default unset: deploy key only
   */
  workspaceSync?: WorkspaceSyncOptions;
  /**
   * Run the `verify` step last: it checks the host (tailnet, firewall,
   * listeners, service, linger, /readyz, security audit, sandbox image,
   * schedules, sync timer, OpenClaw version), prints a report and fails the
   * update naming the failing checks. It runs again whenever another step's
   * command or environment changes.
   * @default true
   */
  verify?: boolean;
}

/**
 * A hardened, self-hosted OpenClaw on Hetzner Cloud behind Tailscale: a
 * firewall with no inbound rule, a server that joins your tailnet at first
 * boot, and the gateway on loopback behind Tailscale Serve.
 *
 * ```ts
 * const openclaw = new OpenClawDeployment("openclaw", {
 *   tailscaleAuthKey: cfg.requireSecret("tailscaleAuthKey"),
 *   claudeSetupToken: cfg.requireSecret("claudeSetupToken"),
 *   tailnetDnsName: cfg.get("tailnetDnsName"),
 * });
 * ```
 */
export class OpenClawDeployment extends pulumi.ComponentResource {
  readonly network: Network;
  readonly host: Host;
  readonly gateway: Gateway;
  /** The sandbox, unless `sandbox.enabled` is false. */
  readonly sandbox?: Sandbox;
  /** Telegram and schedules, when a bot token is given. */
  readonly telegram?: TelegramSchedules;
  readonly workspaceSync: WorkspaceSync;
  /** On-host state backups (absent with `backups: { enabled: false }`). */
  readonly backups?: StateBackups;
  /** Public half of the workspace deploy key: add it to the repository with write access. */
  readonly workspaceDeployPublicKey: pulumi.Output<string>;
  /** The verify step (absent with `verify: false`). */
  readonly verifyStep?: command.remote.Command;
  /** What the verify step found (undefined with `verify: false`). */
  readonly verifyReport: pulumi.Output<VerifyReport | undefined>;
  readonly serverId: pulumi.Output<string>;
  readonly serverIpv4: pulumi.Output<string>;
  readonly serverIpv6: pulumi.Output<string>;
  /** Name the server registers on the tailnet (a redeploy may add `-1`, `-2`… while the old node lingers). */
  readonly tailscaleHostname: pulumi.Output<string>;
  /** The address remote steps connect to. */
  readonly connectionHost: pulumi.Output<string>;
  /** The gateway through Tailscale Serve: `https://<serverName>.<tailnet>/`. */
  readonly tailscaleUrl: pulumi.Output<string>;
  /** The URL with the gateway token in its fragment, for first access (secret). */
  readonly tailscaleUrlWithToken: pulumi.Output<string>;
  /** Gateway auth token (secret). */
  readonly gatewayToken: pulumi.Output<string>;
  /** Admin user's OpenSSH private key (secret). */
  readonly sshPrivateKey: pulumi.Output<string>;

  constructor(name: string, args: OpenClawDeploymentArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // Every argument is checked before anything is registered, and all
    // problems are reported at once.
    const v = new ArgValidator(`OpenClawDeployment "${name}"`);
    checkDeploymentKeys(args, v);
    const backups = normalizeBackups(args.backups);
    validateHostArgs({ ...args, backups: backups.hetzner }, v);
    if (backups.enabled) validateBackupArgs(backups, v, "backups.");
    const g = validateGatewayArgs({ ...args, port: args.gatewayPort }, v, { port: "gatewayPort" });
    const sandboxEnabled = args.sandbox?.enabled ?? true;
    if (sandboxEnabled) validateSandboxArgs(args.sandbox ?? {}, v, "sandbox.");
    const telegram = args.telegram?.botToken !== undefined ? { ...args.telegram, botToken: args.telegram.botToken } : undefined;
    // The checked bot token (a secret Output) goes on to the child, which then
    // neither checks nor warns about it a second time under another name.
    const telegramToken = telegram ? validateTelegramArgs(telegram, v, "telegram.", `OpenClawDeployment "${name}"`).botToken : undefined;
    if (args.workspaceSync) validateWorkspaceSyncArgs(args.workspaceSync, v, "workspaceSync.");
    v.throwIfInvalid();
    super("openclaw:index:OpenClawDeployment", name, {}, opts);

    this.network = new Network(`${name}-network`, { labels: args.labels }, { parent: this });
    this.host = new Host(
      `${name}-host`,
      {
        tailscaleAuthKey: args.tailscaleAuthKey,
        firewallIds: [this.network.firewallId],
        serverName: args.serverName,
        serverType: args.serverType,
        location: args.location,
        image: args.image,
        backups: backups.hetzner,
        labels: args.labels,
      },
      { parent: this },
    );
    this.gateway = new Gateway(
      `${name}-gateway`,
      {
        host: this.host,
        claudeSetupToken: args.claudeSetupToken,
        tailnetDnsName: args.tailnetDnsName,
        connectionHost: args.connectionHost,
        openclawVersion: args.openclawVersion,
        model: args.model,
        thinkingDefault: args.thinkingDefault,
        port: args.gatewayPort,
        nodeRuntime: args.nodeRuntime,
        gatewayTokenVersion: args.gatewayTokenVersion,
      },
      { parent: this },
    );

    // One component after another, so gateway restarts never overlap a step
    // that talks to the gateway.
    let last = this.gateway.ready;
    if (sandboxEnabled) {
      const { enabled: _enabled, ...sandboxArgs } = args.sandbox ?? {};
      this.sandbox = new Sandbox(`${name}-sandbox`, { ...sandboxArgs, gateway: this.gateway, runAfter: [last] }, { parent: this });
      last = this.sandbox.ready;
    }
    if (telegram) {
      this.telegram = new TelegramSchedules(`${name}-telegram`, { ...telegram, botToken: telegramToken!, gateway: this.gateway, runAfter: [last] }, { parent: this });
      last = this.telegram.ready;
    }
    this.workspaceSync = new WorkspaceSync(`${name}-workspace`, { ...(args.workspaceSync ?? {}), gateway: this.gateway, runAfter: [last] }, { parent: this });
    this.workspaceDeployPublicKey = this.workspaceSync.deployPublicKey;
    last = this.workspaceSync.steps.installSyncTimer ?? last;
    if (backups.enabled) {
      this.backups = new StateBackups(`${name}-backups`, { schedule: backups.schedule, keep: backups.keep, gateway: this.gateway, runAfter: [last] }, { parent: this });
      last = this.backups.step;
    }

    if (args.verify ?? true) {
      const others: pulumi.Output<RemoteStep[]>[] = [this.gateway.renderedSteps];
      if (this.sandbox) others.push(this.sandbox.renderedSteps);
      if (this.telegram) others.push(this.telegram.renderedSteps);
      others.push(this.workspaceSync.renderedSteps);
      if (this.backups) others.push(this.backups.renderedSteps);
      const step = pulumi
        .all([pulumi.all(others), this.gateway.port, this.gateway.openclawVersion, this.sandbox?.image, this.telegram?.schedules])
        .apply(([lists, port, openclawVersion, sandboxImage, schedules]) =>
          renderVerifyStep({
            port,
            openclawVersion,
            ...(sandboxImage ? { sandboxImage } : {}),
            ...(schedules ? { scheduleKeys: (schedules as Schedule[]).map((j) => `${DECLARATION_KEY_PREFIX}${slug(j.name)}`) } : {}),
            syncTimer: args.workspaceSync?.repoUrl !== undefined,
            backupTimer: backups.enabled,
            otherSteps: lists.flat(),
          }),
        );
      this.verifyStep = createStepChain(
        name,
        this,
        { connection: this.gateway.connection, server: this.host.server, serverId: this.host.serverId },
        [{ suffix: "verify", step }],
        [last],
      )[0]!;
      this.verifyReport = this.verifyStep.stdout.apply((out) => parseVerifyReport(out ?? ""));
    } else {
      this.verifyReport = pulumi.output(undefined);
    }

    this.serverId = this.host.serverId;
    this.serverIpv4 = this.host.ipv4Address;
    this.serverIpv6 = this.host.ipv6Address;
    this.tailscaleHostname = this.host.tailscaleHostname;
    this.connectionHost = this.gateway.connectionHost;
    this.tailscaleUrl = pulumi
      .all([this.tailscaleHostname, g.tailnetDnsName])
      .apply(([h, tailnet]) => resolveTailscaleUrl(h, tailnet));
    this.gatewayToken = this.gateway.gatewayToken;
    this.tailscaleUrlWithToken = pulumi.secret(
      pulumi.all([this.tailscaleUrl, this.gatewayToken]).apply(([url, token]) => `${url.split(" ")[0]}#token=${token}`),
    );
    this.sshPrivateKey = this.host.sshPrivateKey;
    this.registerOutputs({
      serverId: this.serverId,
      serverIpv4: this.serverIpv4,
      serverIpv6: this.serverIpv6,
      tailscaleHostname: this.tailscaleHostname,
      connectionHost: this.connectionHost,
      tailscaleUrl: this.tailscaleUrl,
      tailscaleUrlWithToken: this.tailscaleUrlWithToken,
      gatewayToken: this.gatewayToken,
      sshPrivateKey: this.sshPrivateKey,
      workspaceDeployPublicKey: this.workspaceDeployPublicKey,
      verifyReport: this.verifyReport,
    });
  }
}

/** `backups` in its object form, with defaults; a boolean (or Output) sets `hetzner` only. */
export function normalizeBackups(input: OpenClawDeploymentArgs["backups"]): Required<Pick<BackupOptions, "enabled">> & BackupOptions & { hetzner: pulumi.Input<boolean> } {
  const isOptions = typeof input === "object" && input !== null && !pulumi.Output.isInstance(input) && typeof (input as { then?: unknown }).then !== "function";
  const o: BackupOptions = isOptions ? (input as BackupOptions) : { hetzner: (input as pulumi.Input<boolean> | undefined) ?? BACKUP_DEFAULTS.hetzner };
  return { ...o, enabled: o.enabled ?? BACKUP_DEFAULTS.enabled, hetzner: o.hetzner ?? BACKUP_DEFAULTS.hetzner };
}
