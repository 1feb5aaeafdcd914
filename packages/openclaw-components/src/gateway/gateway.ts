import * as pulumi from "@pulumi/pulumi";
import { dialLimitFor } from "../remote/dial-budget.js";
import type { RemoteStep } from "../remote/step.js";
import * as random from "@pulumi/random";
import type * as command from "@pulumi/command";
import type { Host } from "../host/host.js";
import { resolveConnectionHost } from "../remote/connection.js";
import { createComponentSteps, type RemoteConnectionArgs } from "../remote/remote-step.js";
import * as rules from "../validate/rules.js";
import { ArgValidator, asSecret } from "../validate/validator.js";
import { DEFAULT_NODE_RUNTIME, DEFAULT_OPENCLAW_VERSION } from "../versions.js";
import { renderGatewaySteps, SECRET_PLACEHOLDERS, type GatewaySettings, type GatewaySteps, type NodeRuntimeSettings } from "./steps.js";

/** Defaults of the gateway the library configures. */
export const GATEWAY_DEFAULTS = {
  openclawVersion: DEFAULT_OPENCLAW_VERSION,
  // What the pinned OpenClaw's own onboarding picks.
  model: "anthropic/claude-opus-5",
  thinkingDefault: "high",
  port: 18789,
  nodeRuntime: DEFAULT_NODE_RUNTIME,
} as const;

/**
 * How long the first step keeps dialling while a new server boots, runs apt,
 * installs Tailscale and joins the tailnet.
 */
export const BOOT_DIAL_MINUTES = 30;
/** The `dialErrorLimit` that gives the first step `BOOT_DIAL_MINUTES` of dialling (368). */
export const BOOT_DIAL_ERROR_LIMIT = dialLimitFor(BOOT_DIAL_MINUTES * 60_000);

export interface GatewayArgs {
  /** The host the gateway runs on (its server, admin key and Tailscale hostname). */
  host: Host;
  /**
   * Anthropic setup token from `claude setup-token` (secret, starts with
   * `sk-ant-oat01-`). Reaches the host on stdin only.
   */
  claudeSetupToken: pulumi.Input<string>;
  /**
   * MagicDNS suffix of your tailnet, e.g. `tail1234.ts.net`. Remote steps
   * connect to `<tailscale hostname>.<tailnetDnsName>`.
   * @default unset: the bare Tailscale hostname (needs MagicDNS on the operator's machine)
   */
  tailnetDnsName?: pulumi.Input<string>;
  /**
   * Overrides the address remote steps connect to (a tailnet name or 100.x
   * address). Never the public IP: the firewall has no inbound rule.
   * @default `<tailscale hostname>.<tailnetDnsName>`
   */
  connectionHost?: pulumi.Input<string>;
  /**
   * The `openclaw` npm version installed on the host (a calendar version, no ranges).
   * @default the version this library release is tested against ("2026.9.6")
   */
  openclawVersion?: pulumi.Input<string>;
  /**
   * Default model, `provider/model`. Changing it rewrites the config and restarts the gateway.
   * @default "anthropic/claude-opus-5"
   */
  model?: pulumi.Input<string>;
  /**
   * Default thinking level (`off`, `minimal`, `low`, `medium`, `high`, `xhigh`, `adaptive`, `max`, `ultra`).
   * @default "high"
   */
  thinkingDefault?: pulumi.Input<string>;
  /**
   * Loopback port of the gateway; Tailscale Serve proxies HTTPS to it.
   * @default 18789
   */
  port?: pulumi.Input<number>;
  /**
   * Change to re-roll the gateway token (any new value, e.g. 2, 3, …): the
   * token is regenerated, written to the host and the gateway restarted. Paired
   * devices keep working; the tokenized URL and the local CLI need the new token.
   * @default 1
   */
  gatewayTokenVersion?: pulumi.Input<number | string>;
  /**
   * Where the host downloads Node from and the archive checksums it verifies.
   * @default Node 24.21.0 from the official Node.js distribution
   */
  nodeRuntime?: pulumi.Input<NodeRuntimeSettings>;
}

/**
 * OpenClaw on loopback as a systemd user service, reachable only through
 * Tailscale Serve. Four remote steps, each re-run only when its own inputs
 * change: wait-for-host → install-openclaw → configure-gateway → start-gateway.
 */
export class Gateway extends pulumi.ComponentResource {
  /** Gateway auth token: 48 random letters and digits (secret). */
  readonly gatewayToken: pulumi.Output<string>;
  /** The address remote steps connect to. */
  readonly connectionHost: pulumi.Output<string>;
  /** Loopback port of the gateway. */
  readonly port: pulumi.Output<number>;
  /** The OpenClaw version installed on the host. */
  readonly openclawVersion: pulumi.Output<string>;
  /** The Node runtime installed on the host. */
  readonly nodeRuntime: pulumi.Output<NodeRuntimeSettings>;
  /** The host the gateway runs on. */
  readonly host: Host;
  /** How remote steps reach the host (used by the other components' steps). */
  readonly connection: RemoteConnectionArgs;
  /** The rendered steps in order, with secrets as placeholders (what the plan and verify read). */
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;
  /** The remote steps, by name, in the order they run. */
  readonly steps: Readonly<Record<keyof GatewaySteps, command.remote.Command>>;
  /** The last step: depend on it to run after the gateway is healthy. */
  readonly ready: command.remote.Command;

  constructor(name: string, args: GatewayArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const v = new ArgValidator(`Gateway "${name}"`);
    const c = validateGatewayArgs(args, v);
    v.throwIfInvalid();
    super("openclaw:index:Gateway", name, {}, opts);

    const token = new random.RandomPassword(
      `${name}-token`,
      { length: 48, special: false, keepers: { version: pulumi.output(args.gatewayTokenVersion ?? 1).apply(String) } },
      { parent: this },
    );
    this.gatewayToken = pulumi.secret(token.result);

    const host = args.host;
    this.host = host;
    this.connectionHost = pulumi
      .all([host.tailscaleHostname, c.tailnetDnsName, c.connectionHost])
      .apply(([h, tailnet, override]) => resolveConnectionHost(h, tailnet, override));
    this.port = pulumi.output(c.port);
    this.openclawVersion = pulumi.output(c.openclawVersion);
    this.nodeRuntime = pulumi.output(c.nodeRuntime);

    const settings: pulumi.Output<GatewaySettings> = pulumi
      .all([c.openclawVersion, c.model, c.thinkingDefault, c.port, c.nodeRuntime])
      .apply(([openclawVersion, model, thinkingDefault, port, nodeRuntime]) => ({ openclawVersion, model, thinkingDefault, port, nodeRuntime }));
    const connection = { host: this.connectionHost, user: host.adminUser, privateKey: host.sshPrivateKey };
    this.connection = connection;
    ({ steps: this.steps, rendered: this.renderedSteps } = createComponentSteps({
      component: name,
      parent: this,
      target: { connection, server: host.server, serverId: host.serverId },
      settings,
      render: renderGatewaySteps,
      placeholders: SECRET_PLACEHOLDERS,
      secrets: pulumi.all([this.gatewayToken, c.claudeSetupToken]).apply(([gatewayToken, claudeSetupToken]) => ({ gatewayToken, claudeSetupToken })),
      secretSteps: ["configureGateway"],
      order: ["waitForHost", "installOpenclaw", "configureGateway", "startGateway"],
      after: [],
      dialErrorLimit: { waitForHost: BOOT_DIAL_ERROR_LIMIT },
    }));
    this.ready = this.steps.startGateway;
    this.registerOutputs({ connectionHost: this.connectionHost, port: this.port, gatewayToken: this.gatewayToken });
  }
}


/**
 * Checks Gateway arguments into `v` and fills in defaults (see
 * `validateHostArgs` for the contract).
 */
export function validateGatewayArgs(
  args: Omit<GatewayArgs, "host">,
  v: ArgValidator,
  /** How the caller's user names these arguments, where it differs (e.g. `{ port: "gatewayPort" }`). */
  names: Partial<Record<keyof Omit<GatewayArgs, "host">, string>> = {},
) {
  const p = (k: keyof Omit<GatewayArgs, "host">) => names[k] ?? k;
  return {
    claudeSetupToken: asSecret(p("claudeSetupToken"), v.check(p("claudeSetupToken"), args.claudeSetupToken, rules.setupToken, { secret: true })),
    tailnetDnsName: args.tailnetDnsName !== undefined ? v.check(p("tailnetDnsName"), args.tailnetDnsName, rules.tailnetDnsName) : undefined,
    connectionHost: args.connectionHost !== undefined ? v.check(p("connectionHost"), args.connectionHost, rules.hostAddress) : undefined,
    openclawVersion: v.check(p("openclawVersion"), args.openclawVersion ?? GATEWAY_DEFAULTS.openclawVersion, rules.openclawVersion),
    model: v.check(p("model"), args.model ?? GATEWAY_DEFAULTS.model, rules.modelId),
    thinkingDefault: v.check(p("thinkingDefault"), args.thinkingDefault ?? GATEWAY_DEFAULTS.thinkingDefault, rules.thinkingLevel),
    port: v.check(p("port"), args.port ?? GATEWAY_DEFAULTS.port, rules.port),
    nodeRuntime: v.check(p("nodeRuntime"), (args.nodeRuntime ?? GATEWAY_DEFAULTS.nodeRuntime) as pulumi.Input<NodeRuntimeSettings>, rules.nodeRuntime),
  };
}
