import type * as pulumi from "@pulumi/pulumi";
import { hostAddress } from "../validate/rules.js";
import type { ArgValidator } from "../validate/validator.js";

/**
 * Where remote steps connect: always the host's tailnet name, never its public
 * address (the Hetzner firewall has no inbound rule at all).
 */

/**
 * Resolves the SSH target: an explicit override, else `<hostname>.<tailnet>`,
 * else the bare Tailscale hostname (resolved by MagicDNS on the operator's
 * machine).
 */
export function resolveConnectionHost(tailscaleHostname: string, tailnetDnsName?: string, override?: string): string {
  if (override) return override;
  return tailnetDnsName ? `${tailscaleHostname}.${tailnetDnsName.replace(/\.$/, "")}` : tailscaleHostname;
}

/** The gateway's HTTPS address through Tailscale Serve, or a placeholder that says what to set. */
export function resolveTailscaleUrl(tailscaleHostname: string, tailnetDnsName?: string): string {
  return tailnetDnsName
    ? `https://${tailscaleHostname}.${tailnetDnsName.replace(/\.$/, "")}/`
    : `https://${tailscaleHostname}.<your-tailnet>.ts.net/ (set tailnetDnsName to get the exact URL)`;
}

/** Checks a component's `connectionHost` override, if it has one. */
export function checkConnectionHost(
  value: pulumi.Input<string> | undefined,
  v: ArgValidator,
): pulumi.Input<string> | undefined {
  return value !== undefined ? v.check("connectionHost", value, hostAddress) : undefined;
}
