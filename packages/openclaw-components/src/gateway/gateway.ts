import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Host } from "../host/host.js";
import { agentSocketProblem } from "../remote/agent-socket.js";
import { resolveConnectionHost } from "../remote/connection.js";
import { createComponentSteps, type RemoteConnectionArgs } from "../remote/remote-step.js";
import type { RemoteStep } from "../remote/step.js";
import { resolveArgs } from "../validate/resolve-once.js";
import {
  BOOT_DIAL_ERROR_LIMIT,
  gatewayFacts,
  gatewaySettings,
  modelAuthShape,
  resolveGatewayArgs,
  type GatewayArgs,
  type GatewayFacts,
} from "./args.js";
import { offServerOutputs } from "../backup/off-server-inputs.js";
import { gatewayStepSpec, type GatewaySettings, type GatewaySteps, type NodeRuntimeSettings } from "./steps.js";

export {
  BOOT_DIAL_ERROR_LIMIT,
  BOOT_DIAL_MINUTES,
  GATEWAY_DEFAULTS,
  type GatewayArgs,
  type GatewayFacts,
  type ModelAuthOptions,
  type ProviderApiKey,
  type StateRestoreSource,
} from "./args.js";

/**
 * OpenClaw on loopback as a systemd user service, reachable only through
 * Tailscale Serve. Four remote steps, each re-run only when its own inputs
 * change: wait-for-host → install-openclaw → configure-gateway → start-gateway;
 * with `restoreFrom`, restore-state runs before configure-gateway.
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
  /** What the components that build on the gateway read: its port, OpenClaw and Node versions. */
  readonly facts: pulumi.Output<GatewayFacts>;
  /** The host the gateway runs on. */
  readonly host: Host;
  /** How remote steps reach the host (used by the other components' steps). */
  readonly connection: RemoteConnectionArgs;
  /** The rendered steps in order, with secrets as placeholders (what the plan and verify read). */
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;
  /** The remote steps, by name, in the order they run. */
  readonly steps: Readonly<Record<Exclude<keyof GatewaySteps, "restoreState">, command.remote.Command>> & {
    /** With `restoreFrom` only. */
    readonly restoreState?: command.remote.Command;
  };
  /** The last step: depend on it to run after the gateway is healthy. */
  readonly ready: command.remote.Command;

  constructor(name: string, args: GatewayArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const c = resolveArgs(`Gateway "${name}"`, args, (a, v) => resolveGatewayArgs(a, v));
    super("openclaw:index:Gateway", name, {}, opts);

    const token = new random.RandomPassword(
      `${name}-token`,
      { length: 48, special: false, keepers: { version: pulumi.output(c.gatewayTokenVersion).apply(String) } },
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

    const { openclawVersion, model, thinkingDefault, port, nodeRuntime } = c;
    const restore = c.restore ? offServerOutputs(c.restore, args.restoreFrom?.offServerPrivateKey) : undefined;
    const settings: pulumi.Output<GatewaySettings> = pulumi
      .output({ openclawVersion, model, thinkingDefault, port, nodeRuntime, restore: restore?.settings })
      .apply((r) => gatewaySettings({ ...r, ...modelAuthShape(c) }));
    this.facts = settings.apply(gatewayFacts);
    const agentProblem = agentSocketProblem();
    if (agentProblem) void pulumi.log.warn(agentProblem, this);
    const connection = { host: this.connectionHost, user: host.adminUser, privateKey: host.sshPrivateKey };
    this.connection = connection;
    ({ steps: this.steps, rendered: this.renderedSteps } = createComponentSteps({
      component: name,
      parent: this,
      target: { connection, server: host.server, serverId: host.serverId },
      settings,
      spec: gatewayStepSpec(restore !== undefined),
      secrets: pulumi
        .all([this.gatewayToken, c.claudeSetupToken ?? "", pulumi.output(c.modelApiKeys), restore?.secrets])
        .apply(([gatewayToken, claudeSetupToken, modelApiKeys, restoreSecrets]) => ({
          gatewayToken,
          claudeSetupToken,
          modelApiKeys,
          ...(restoreSecrets ? { restore: restoreSecrets } : {}),
        })),
      after: [],
      dialErrorLimit: { waitForHost: BOOT_DIAL_ERROR_LIMIT },
    }));
    this.ready = this.steps.startGateway;
    this.registerOutputs({ connectionHost: this.connectionHost, port: this.port, gatewayToken: this.gatewayToken });
  }
}
