import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { StateBackups } from "./backup/state-backups.js";
import { OpenClawConfigPatch } from "./config-patch/openclaw-config-patch.js";
import { resolveDeployment, type OpenClawDeploymentArgs } from "./deployment-args.js";
import { DiscordChannel } from "./discord/discord-channel.js";
import { Gateway } from "./gateway/gateway.js";
import { Host } from "./host/host.js";
import { Network } from "./network/network.js";
import { DEPLOYMENT_PARTS, verifySettings, type AnyPart, type VerifyFacts } from "./parts.js";
import { resolveTailscaleUrl } from "./remote/connection.js";
import { createComponentSteps, createStepChain } from "./remote/remote-step.js";
import type { RemoteStep } from "./remote/step.js";
import { Sandbox } from "./sandbox/sandbox.js";
import { SlackChannel } from "./slack/slack-channel.js";
import { WhatsAppChannel } from "./whatsapp/whatsapp-channel.js";
import { ScheduledJobs } from "./schedules/scheduled-jobs.js";
import { TelegramChannel } from "./telegram/telegram-channel.js";
import { withResolved } from "./validate/resolve-once.js";
import { parseVerifyReport, renderVerifyStep, type VerifyReport } from "./verify/verify-step.js";
import { WorkspaceSync } from "./workspace/workspace-sync.js";

export type { OpenClawDeploymentArgs } from "./deployment-args.js";

/** What the deployment needs from each part's child component. */
interface PartChild extends pulumi.ComponentResource {
  readonly settings: pulumi.Output<unknown>;
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;
  readonly ready?: pulumi.Resource;
}

/** A deployment's child components. */
interface DeploymentChildren {
  readonly network: Network;
  readonly host: Host;
  readonly gateway: Gateway;
  readonly sandbox?: Sandbox;
  readonly telegram?: TelegramChannel;
  readonly schedules: ScheduledJobs;
  readonly discord?: DiscordChannel;
  readonly slack?: SlackChannel;
  readonly whatsapp?: WhatsAppChannel;
  readonly workspaceSync: WorkspaceSync;
  readonly backups?: StateBackups;
  readonly openclawConfig: OpenClawConfigPatch;
}

// The children are read through getters, not held in class properties:
// Pulumi's component analyzer takes every class property (even a private one)
// for a schema output, and a component can be an output only when it comes
// from a published provider package. Getters it leaves out.
const CHILDREN = new WeakMap<OpenClawDeployment, DeploymentChildren>();
function childrenOf(d: OpenClawDeployment): DeploymentChildren {
  return CHILDREN.get(d)!;
}

/** The component of each part (kept here: the parts list itself is pure). */
const PART_COMPONENTS: Record<
  AnyPart["key"],
  new (
    name: string,
    args: { gateway: Gateway; runAfter: pulumi.Resource[] },
    opts: pulumi.ComponentResourceOptions,
  ) => PartChild
> = {
  sandbox: Sandbox as never,
  telegram: TelegramChannel as never,
  schedules: ScheduledJobs as never,
  discord: DiscordChannel as never,
  slack: SlackChannel as never,
  whatsapp: WhatsAppChannel as never,
  workspaceSync: WorkspaceSync as never,
  backups: StateBackups as never,
};

/**
 * Where a part's resources lived in earlier releases, as resource options for
 * its child: the state keeps them rather than deleting and creating them.
 */
const EARLIER_NAMES: Partial<
  Record<AnyPart["key"], (name: string, deployment: pulumi.Resource) => pulumi.ComponentResourceOptions>
> = {
  // Telegram's child was a TelegramSchedules (its configure-telegram step stays its child).
  telegram: () => ({ aliases: [{ type: "openclaw:index:TelegramSchedules" }] }),
  // The sync step was Telegram's child, or the deployment's remove-schedules without Telegram.
  schedules: (name, deployment) => ({
    transformations: [
      (t) =>
        t.name === `${name}-schedules-sync-schedules`
          ? {
              props: t.props,
              opts: pulumi.mergeOptions(t.opts, {
                aliases: [
                  {
                    name: `${name}-telegram-sync-schedules`,
                    parent: pulumi.createUrn(`${name}-telegram`, "openclaw:index:TelegramSchedules", deployment),
                  },
                  { name: `${name}-remove-schedules`, parent: deployment },
                ],
              }),
            }
          : undefined,
    ],
  }),
};

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
  /** The firewall. */
  get network(): Network {
    return childrenOf(this).network;
  }
  /** The server, its admin key and user-data. */
  get host(): Host {
    return childrenOf(this).host;
  }
  /** OpenClaw on the host. */
  get gateway(): Gateway {
    return childrenOf(this).gateway;
  }
  /** The sandbox, unless `sandbox.enabled` is false. */
  get sandbox(): Sandbox | undefined {
    return childrenOf(this).sandbox;
  }
  /** The Telegram channel, when a bot token is given. */
  get telegram(): TelegramChannel | undefined {
    return childrenOf(this).telegram;
  }
  /** The scheduled jobs (with none declared, its step removes the library's). */
  get schedules(): ScheduledJobs {
    return childrenOf(this).schedules;
  }
  /** The Discord channel, when a bot token is given. */
  get discord(): DiscordChannel | undefined {
    return childrenOf(this).discord;
  }
  /** The Slack channel, when a bot token is given. */
  get slack(): SlackChannel | undefined {
    return childrenOf(this).slack;
  }
  /** The WhatsApp channel, when `whatsapp` is given. */
  get whatsapp(): WhatsAppChannel | undefined {
    return childrenOf(this).whatsapp;
  }
  /** The workspace deploy key, and its sync with `workspaceSync.repoUrl`. */
  get workspaceSync(): WorkspaceSync {
    return childrenOf(this).workspaceSync;
  }
  /** On-host state backups (absent with `backups: { enabled: false }`). */
  get backups(): StateBackups | undefined {
    return childrenOf(this).backups;
  }
  /** The `openclawConfig` patch, applied after every other part. */
  get openclawConfig(): OpenClawConfigPatch {
    return childrenOf(this).openclawConfig;
  }
  /** Public half of the workspace deploy key: add it to the repository with write access. */
  readonly workspaceDeployPublicKey: pulumi.Output<string>;
  /**
   * Public halves of the deploy keys of the agents with `workspaceSync`, by
   * agent id: add each to its agent's repository with write access. Empty without.
   */
  readonly agentWorkspaceDeployPublicKeys: pulumi.Output<Record<string, string>>;
  /**
   * With `backups.offServer`: public half of the key the server logs in to
   * the SFTP server with; add it to that account's authorized keys. Undefined without.
   */
  readonly offServerBackupPublicKey: pulumi.Output<string | undefined>;
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
    // Every argument is checked before anything is registered, all problems
    // at once; the children then work from what was resolved here.
    const d = resolveDeployment(args, name);
    super("openclaw:index:OpenClawDeployment", name, {}, opts);

    const network = new Network(`${name}-network`, withResolved({}, d.network), { parent: this });
    const host = new Host(
      `${name}-host`,
      withResolved(
        {
          tailscaleAuthKey: args.tailscaleAuthKey,
          tailscaleOAuthClient: args.tailscaleOAuthClient,
          firewallIds: [network.firewallId],
        },
        d.host,
      ),
      { parent: this },
    );
    // The off-server login key, made here because the gateway's restore-state
    // step uses it before the backups' own step runs. It was the backups
    // child's child until then: the alias keeps that key (and the SFTP
    // account's authorized key) rather than replacing it.
    const offServerKey = d.backups?.offServer?.sftp
      ? new tls.PrivateKey(
          `${name}-backups-off-server-key`,
          { algorithm: "ED25519" },
          {
            parent: this,
            aliases: [{ parent: pulumi.createUrn(`${name}-backups`, "openclaw:index:StateBackups", this) }],
          },
        )
      : undefined;
    const gateway = new Gateway(
      `${name}-gateway`,
      withResolved(
        {
          claudeSetupToken: args.claudeSetupToken,
          host,
          ...(d.gateway.restore && typeof args.backups === "object"
            ? {
                restoreFrom: {
                  offServer: args.backups.offServer!,
                  ...(offServerKey ? { offServerPrivateKey: offServerKey.privateKeyOpenssh } : {}),
                },
              }
            : {}),
        },
        d.gateway,
      ),
      { parent: this },
    );

    // One part after another, so gateway restarts never overlap a step that
    // talks to the gateway.
    let last: pulumi.Resource = gateway.ready;
    const rendered: pulumi.Output<RemoteStep[]>[] = [gateway.renderedSteps];
    const facts: pulumi.Output<Partial<VerifyFacts>>[] = [];
    const children: Partial<Record<AnyPart["key"], PartChild>> = {};
    const target = { connection: gateway.connection, server: host.server, serverId: host.serverId };
    const removalSettings = gateway.facts.apply((gw) => ({ port: gw.port }));
    for (const part of DEPLOYMENT_PARTS) {
      const resolved = d[part.key];
      if (part.isOff(resolved)) {
        // Switched off (or never on): make sure nothing of it is left on the host.
        const removal = createComponentSteps({
          component: name,
          parent: this,
          target,
          settings: removalSettings,
          spec: part.removal,
          after: [last],
        });
        rendered.push(removal.rendered);
        last = Object.values(removal.steps).at(-1) ?? last;
      }
      if (resolved === undefined) continue;
      const childArgs = withResolved(
        { gateway, runAfter: [last], ...(part.key === "backups" && offServerKey ? { offServerKey } : {}) },
        resolved,
      );
      const child = new PART_COMPONENTS[part.key](`${name}-${part.child}`, childArgs, {
        parent: this,
        ...(EARLIER_NAMES[part.key]?.(name, this) ?? {}),
      });
      children[part.key] = child;
      rendered.push(child.renderedSteps);
      facts.push(child.settings.apply((s) => part.verify(s)));
      last = child.ready ?? last;
    }
    // Last of all, so that the user's patch lands on top of every part's config.
    const configPatch = new OpenClawConfigPatch(
      `${name}-config`,
      withResolved({ gateway, runAfter: [last] }, { ...d.openclawConfig, connectionHost: undefined }),
      { parent: this },
    );
    rendered.push(configPatch.renderedSteps);
    last = configPatch.ready;

    CHILDREN.set(this, {
      network,
      host,
      gateway,
      sandbox: children.sandbox as Sandbox | undefined,
      telegram: children.telegram as TelegramChannel | undefined,
      schedules: children.schedules as ScheduledJobs,
      discord: children.discord as DiscordChannel | undefined,
      slack: children.slack as SlackChannel | undefined,
      whatsapp: children.whatsapp as WhatsAppChannel | undefined,
      workspaceSync: children.workspaceSync as WorkspaceSync,
      backups: children.backups as StateBackups | undefined,
      openclawConfig: configPatch,
    });
    this.workspaceDeployPublicKey = (children.workspaceSync as WorkspaceSync).deployPublicKey;
    this.agentWorkspaceDeployPublicKeys = (children.workspaceSync as WorkspaceSync).agentDeployPublicKeys;
    this.offServerBackupPublicKey =
      (children.backups as StateBackups | undefined)?.offServerPublicKey ?? pulumi.output(undefined);

    if (d.verify) {
      const step = pulumi
        .all([pulumi.all(rendered), gateway.facts, pulumi.all(facts), host.tailscaleHostname, d.gateway.tailnetDnsName])
        .apply(([lists, gw, declared, serverName, tailnetDnsName]) =>
          renderVerifyStep(verifySettings(gw, { serverName, tailnetDnsName }, declared, lists.flat())),
        );
      this.verifyStep = createStepChain(name, this, target, [{ suffix: "verify", step }], [last])[0]!;
      this.verifyReport = this.verifyStep.stdout.apply((out) => parseVerifyReport(out ?? ""));
    } else {
      this.verifyReport = pulumi.output(undefined);
    }

    this.serverId = host.serverId;
    this.serverIpv4 = host.ipv4Address;
    this.serverIpv6 = host.ipv6Address;
    this.tailscaleHostname = host.tailscaleHostname;
    this.connectionHost = gateway.connectionHost;
    this.tailscaleUrl = pulumi
      .all([this.tailscaleHostname, d.gateway.tailnetDnsName])
      .apply(([h, tailnet]) => resolveTailscaleUrl(h, tailnet));
    this.gatewayToken = gateway.gatewayToken;
    this.tailscaleUrlWithToken = pulumi.secret(
      pulumi.all([this.tailscaleUrl, this.gatewayToken]).apply(([url, token]) => `${url.split(" ")[0]}#token=${token}`),
    );
    this.sshPrivateKey = host.sshPrivateKey;
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
      agentWorkspaceDeployPublicKeys: this.agentWorkspaceDeployPublicKeys,
      offServerBackupPublicKey: this.offServerBackupPublicKey,
      verifyReport: this.verifyReport,
    });
  }
}
