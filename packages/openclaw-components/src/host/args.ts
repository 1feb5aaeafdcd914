import type * as pulumi from "@pulumi/pulumi";
import { resolveTailscaleOAuthClient, type TailscaleOAuthClientOptions } from "../tailnet/args.js";
import * as rules from "../validate/rules.js";
import type { ArgValidator } from "../validate/validator.js";

/** Defaults of the server the library creates. */
export const HOST_DEFAULTS = {
  serverName: "openclaw-vps",
  // x86, 4 vCPU, 8 GB: the template moved off ARM (cax21) for ecosystem
  // compatibility, and cx33 costs less.
  serverType: "cx33",
  location: "fsn1",
  image: "ubuntu-24.04",
  backups: true,
  adminUser: "ubuntu",
} as const;

export interface HostArgs {
  /**
   * Tailscale auth key the server joins the tailnet with at first boot
   * (secret). It is the only secret in user-data; prefer a single-use,
   * pre-authorised, tagged key. Set this or `tailscaleOAuthClient`.
   * @default unset: `tailscaleOAuthClient` mints the key
   */
  tailscaleAuthKey?: pulumi.Input<string>;
  /**
   * A Tailscale OAuth client, instead of `tailscaleAuthKey`: the library mints
   * a single-use, pre-authorised, tagged key for each server it creates, and
   * keeps the server's tailnet name free (an offline node left under it is
   * removed before a new server joins; the server's node is removed when the
   * server is destroyed). A rebuild then needs nothing by hand.
   * @default unset: `tailscaleAuthKey` is used
   */
  tailscaleOAuthClient?: TailscaleOAuthClientOptions;
  /**
   * Hetzner firewall ids attached at creation, so the server never boots
   * unfirewalled. Usually `[network.firewallId]`.
   */
  firewallIds: pulumi.Input<pulumi.Input<number>[]>;
  /**
   * Server name, also its Tailscale hostname: an RFC 1123 label of at most 63 characters.
   * Fixed when the server is created: the tailnet node keeps its first name,
   * so a later change is refused (`pulumi preview` fails naming it); rebuild
   * the server to rename it.
   * @default "openclaw-vps"
   */
  serverName?: pulumi.Input<string>;
  /**
   * Hetzner server type. Changing it resizes in place (the server powers off);
   * x86 (cx/cpx/ccx) and ARM (cax) cannot be swapped.
   * @default "cx33"
   */
  serverType?: pulumi.Input<string>;
  /**
   * Hetzner location. Fixed once the server exists: another value is refused at preview.
   * @default "fsn1"
   */
  location?: pulumi.Input<string>;
  /**
   * OS image. Fixed once the server exists: another value is refused at preview.
   * @default "ubuntu-24.04"
   */
  image?: pulumi.Input<string>;
  /**
   * Hetzner's whole-disk backups (7 daily slots, 20% of the server price).
   * @default true
   */
  backups?: pulumi.Input<boolean>;
  /**
   * Labels on the server and SSH key, merged over the default.
   * @default `{ "managed-by": "openclaw-infra-components" }`
   */
  labels?: pulumi.Input<Record<string, string>>;
}

/**
 * Checks Host arguments into `v` and fills in defaults. Plain values are
 * checked now; the caller throws (`v.throwIfInvalid()`) before registering
 * anything. Every component's `resolve…Args` follows this contract.
 */
export function resolveHostArgs(args: Omit<HostArgs, "firewallIds">, v: ArgValidator) {
  const c = {
    ...tailnetAccess(args, v),
    serverName: v.check("serverName", args.serverName ?? HOST_DEFAULTS.serverName, rules.serverName),
    serverType: v.check("serverType", args.serverType ?? HOST_DEFAULTS.serverType, rules.serverType),
    location: v.check("location", args.location ?? HOST_DEFAULTS.location, rules.location),
    image: v.check("image", args.image ?? HOST_DEFAULTS.image, rules.hetznerImage),
    backups: args.backups ?? HOST_DEFAULTS.backups,
    labels: args.labels !== undefined ? v.check("labels", args.labels, rules.labels) : {},
    // Which of the values fixed at creation the user chose: an unset one follows the
    // server as created, so a later release's new default never refuses a running server.
    chosen: { location: args.location !== undefined, image: args.image !== undefined },
  };
  return c;
}

/**
 * How the server joins the tailnet: the user's auth key, or an OAuth client
 * that mints one. Exactly one of them.
 */
function tailnetAccess(args: Pick<HostArgs, "tailscaleAuthKey" | "tailscaleOAuthClient">, v: ArgValidator) {
  const { tailscaleAuthKey: key, tailscaleOAuthClient: client } = args;
  if ((key === undefined) === (client === undefined))
    v.add({
      path: key === undefined ? "tailscaleAuthKey" : "tailscaleOAuthClient",
      problem:
        key === undefined ? "is missing, and so is tailscaleOAuthClient" : "is set together with tailscaleAuthKey",
      expected:
        "one of them: tailscaleAuthKey (a key you create), or tailscaleOAuthClient (a client that mints one per server)",
    });
  return {
    tailscaleAuthKey: key !== undefined ? v.checkSecret("tailscaleAuthKey", key, rules.tailscaleAuthKey) : undefined,
    tailscaleOAuthClient:
      client !== undefined ? resolveTailscaleOAuthClient(client, v, "tailscaleOAuthClient") : undefined,
  };
}
