import * as hcloud from "@pulumi/hcloud";
import * as pulumi from "@pulumi/pulumi";
import { resolveArgs } from "../validate/resolve-once.js";
import { resolveNetworkArgs, type NetworkArgs } from "./args.js";

export { DEFAULT_LABELS, type NetworkArgs } from "./args.js";

/**
 * Outbound rules only. Hetzner firewalls drop every inbound packet that no rule
 * allows, so a firewall with no inbound rule is "nothing public"; there is
 * deliberately no argument that could add one.
 */
export const OUTBOUND_RULES: readonly hcloud.types.input.FirewallRule[] = (["tcp", "udp"] as const)
  .map((protocol): hcloud.types.input.FirewallRule => ({
    direction: "out",
    protocol,
    port: "any",
    destinationIps: ["0.0.0.0/0", "::/0"],
    description: `outbound ${protocol.toUpperCase()}`,
  }))
  .concat([
    { direction: "out", protocol: "icmp", destinationIps: ["0.0.0.0/0", "::/0"], description: "outbound ICMP" },
  ]);

/**
 * The Hetzner Cloud firewall in front of the server: all outbound traffic,
 * no inbound traffic. Access to the host is only through Tailscale, which
 * needs no inbound port (it connects out and relays through DERP when direct
 * UDP is not possible).
 */
export class Network extends pulumi.ComponentResource {
  /** The firewall resource. */
  readonly firewall: hcloud.Firewall;
  /** The firewall's numeric id, for `hcloud.Server.firewallIds`. */
  readonly firewallId: pulumi.Output<number>;

  constructor(name: string, args: NetworkArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
    const { firewallName, labels } = resolveArgs(`Network "${name}"`, args, resolveNetworkArgs);
    super("openclaw:index:Network", name, {}, opts);

    this.firewall = new hcloud.Firewall(
      `${name}-firewall`,
      {
        name: firewallName ?? `${name}-firewall`,
        labels,
        rules: [...OUTBOUND_RULES],
      },
      { parent: this },
    );
    this.firewallId = this.firewall.id.apply((id) => Number(id));
    this.registerOutputs({ firewallId: this.firewallId });
  }
}
