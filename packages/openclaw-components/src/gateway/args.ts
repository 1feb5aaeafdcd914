import type * as pulumi from "@pulumi/pulumi";
import type { Host } from "../host/host.js";
import { dialLimitFor } from "../remote/dial-budget.js";
import * as rules from "../validate/rules.js";
import type { ArgValidator } from "../validate/validator.js";
import { DEFAULT_NODE_RUNTIME, DEFAULT_OPENCLAW_VERSION } from "../versions.js";
import type { GatewaySettings, NodeRuntimeSettings } from "./steps.js";

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
  gatewayTokenVersion?: pulumi.Input<number>;
  /**
   * Where the host downloads Node from and the archive checksums it verifies.
   * @default Node 24.21.0 from the official Node.js distribution
   */
  nodeRuntime?: pulumi.Input<NodeRuntimeSettings>;
}

/**
 * Checks Gateway arguments into `v` and fills in defaults (see
 * `resolveHostArgs` for the contract).
 */
export function resolveGatewayArgs(
  args: Omit<GatewayArgs, "host">,
  v: ArgValidator,
  /** How the caller's user names these arguments, where it differs (e.g. `{ port: "gatewayPort" }`). */
  names: Partial<Record<keyof Omit<GatewayArgs, "host">, string>> = {},
) {
  const p = (k: keyof Omit<GatewayArgs, "host">) => names[k] ?? k;
  return {
    claudeSetupToken: v.checkSecret(p("claudeSetupToken"), args.claudeSetupToken, rules.setupToken),
    tailnetDnsName:
      args.tailnetDnsName !== undefined
        ? v.check(p("tailnetDnsName"), args.tailnetDnsName, rules.tailnetDnsName)
        : undefined,
    connectionHost:
      args.connectionHost !== undefined
        ? v.check(p("connectionHost"), args.connectionHost, rules.hostAddress)
        : undefined,
    openclawVersion: v.check(
      p("openclawVersion"),
      args.openclawVersion ?? GATEWAY_DEFAULTS.openclawVersion,
      rules.openclawVersion,
    ),
    model: v.check(p("model"), args.model ?? GATEWAY_DEFAULTS.model, rules.modelId),
    thinkingDefault: v.check(
      p("thinkingDefault"),
      args.thinkingDefault ?? GATEWAY_DEFAULTS.thinkingDefault,
      rules.thinkingLevel,
    ),
    port: v.check(p("port"), args.port ?? GATEWAY_DEFAULTS.port, rules.port),
    gatewayTokenVersion: args.gatewayTokenVersion ?? 1,
    nodeRuntime: v.check(
      p("nodeRuntime"),
      (args.nodeRuntime ?? GATEWAY_DEFAULTS.nodeRuntime) as pulumi.Input<NodeRuntimeSettings>,
      rules.nodeRuntime,
    ),
  };
}

/** The gateway's settings, from its resolved arguments. */
export function gatewaySettings(r: {
  openclawVersion: string;
  model: string;
  thinkingDefault: string;
  port: number;
  nodeRuntime: NodeRuntimeSettings;
}): GatewaySettings {
  return {
    openclawVersion: r.openclawVersion,
    model: r.model,
    thinkingDefault: r.thinkingDefault,
    port: r.port,
    nodeRuntime: r.nodeRuntime,
  };
}

/** What the gateway tells the components that build on it. */
export interface GatewayFacts {
  readonly port: number;
  readonly openclawVersion: string;
  /** The host's Node version. */
  readonly nodeVersion: string;
}

export function gatewayFacts(s: GatewaySettings): GatewayFacts {
  return { port: s.port, openclawVersion: s.openclawVersion, nodeVersion: s.nodeRuntime.version };
}
