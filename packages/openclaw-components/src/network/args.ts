import type * as pulumi from "@pulumi/pulumi";
import { labels as labelsRule } from "../validate/rules.js";
import type { ArgValidator } from "../validate/validator.js";

export interface NetworkArgs {
  /**
   * Name of the Hetzner firewall.
   * @default `${name}-firewall`
   */
  firewallName?: pulumi.Input<string>;
  /**
   * Labels put on the firewall.
   * @default `{ "managed-by": "openclaw-infra-components" }`
   */
  labels?: pulumi.Input<Record<string, string>>;
}

/** Labels the library puts on everything it creates in Hetzner. */
export const DEFAULT_LABELS: Readonly<Record<string, string>> = { "managed-by": "openclaw-infra-components" };

/** Checks Network arguments into `v` and fills in defaults. */
export function resolveNetworkArgs(args: NetworkArgs, v: ArgValidator) {
  return {
    firewallName: args.firewallName,
    labels: args.labels !== undefined ? v.check("labels", args.labels, labelsRule) : DEFAULT_LABELS,
  };
}
