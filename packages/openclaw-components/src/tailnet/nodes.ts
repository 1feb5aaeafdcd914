import { TailscaleApi, type Device, type OAuthClient } from "./api.js";

/** Which of a server's nodes to remove. */
export type NodeSelection =
  /** Before a server is created: nodes left by an earlier server of that name, now offline. */
  | "offline"
  /** After the server is destroyed: all of them. */
  | "all";

/** The environment the Host's tailnet-node step gives `openclaw-infra tailnet-nodes`. */
export const TAILNET_NODE_ENV = {
  tailnet: "OPENCLAW_TAILNET",
  hostname: "OPENCLAW_TAILNET_HOSTNAME",
  tags: "OPENCLAW_TAILNET_TAGS",
} as const;

/**
 * What the step runs, before its subcommand: the package's own CLI, found by
 * npx in the stack's `node_modules` (`--no`: never downloaded), and no shell.
 */
export const TAILNET_NODE_INTERPRETER = ["npx", "--no", "--", "openclaw-infra", "tailnet-nodes"] as const;

/** The subcommand for each selection. */
export const TAILNET_NODE_COMMANDS: Readonly<Record<NodeSelection, string>> = {
  offline: "remove-offline",
  all: "remove",
};

export interface NodeQuery {
  readonly tailnet: string;
  /** The server's name, which its node registers as its host name. */
  readonly hostname: string;
  /** Only nodes carrying one of these tags are the library's to remove. */
  readonly tags: readonly string[];
  readonly which: NodeSelection;
}

/**
 * The nodes of a server `query` selects: registered under its host name and
 * tagged with one of its tags (a person's own machine of the same name is
 * never touched); with `offline`, only those not connected to Tailscale now.
 * A stale node must go before the new server joins: while it holds the name,
 * Tailscale names the new node `<name>-1`, and every step would dial the
 * stale one.
 */
export function selectNodes(devices: readonly Device[], query: NodeQuery): Device[] {
  return devices.filter(
    (d) =>
      d.hostname === query.hostname &&
      (d.tags ?? []).some((t) => query.tags.includes(t)) &&
      (query.which === "all" || d.connectedToControl === false),
  );
}

/** Removes the nodes `query` selects; returns their MagicDNS names. */
export async function removeNodes(client: OAuthClient, query: NodeQuery, base?: string): Promise<string[]> {
  const api = await TailscaleApi.connect(client, base);
  const nodes = selectNodes(await api.devices(query.tailnet), query);
  for (const node of nodes) await api.deleteDevice(node);
  return nodes.map((n) => n.name);
}
