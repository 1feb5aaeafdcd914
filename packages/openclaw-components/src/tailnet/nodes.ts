import { TailscaleApi, type Device, type OAuthClient } from "./api.js";

/** When the step runs. */
export type NodeMoment =
  /** Before the server is created: nodes left by an earlier server of that name. */
  | "before-create"
  /** After the server is destroyed: its node, once Tailscale sees it offline. */
  | "after-destroy";

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

/** The step's commands: `create`, `update` and `delete`. */
export const TAILNET_NODE_COMMANDS = {
  create: "remove-offline",
  // A new client secret or tags while the server runs: nothing on the tailnet changes.
  update: "keep",
  delete: "remove-when-offline",
} as const;

export interface NodeQuery {
  readonly tailnet: string;
  /** The server's name, which its node registers as its host name. */
  readonly hostname: string;
  /** Only nodes carrying one of these tags are the library's to remove. */
  readonly tags: readonly string[];
}

/**
 * The nodes of a server: registered under its host name and tagged with one
 * of the client's tags (a person's own machine of the same name is never
 * touched).
 */
export function nodesOf(devices: readonly Device[], query: NodeQuery): Device[] {
  return devices.filter((d) => d.hostname === query.hostname && (d.tags ?? []).some((t) => query.tags.includes(t)));
}

/**
 * Whether Tailscale sees the node offline. Only an explicit `false` counts: a
 * node whose state the API left out is never taken for a stale one.
 */
const offline = (d: Device) => d.connectedToControl === false;

export interface RemovalResult {
  /** MagicDNS names of the nodes removed. */
  readonly removed: string[];
  /** MagicDNS names of the server's nodes left in place because they are connected. */
  readonly connected: string[];
}

export interface RemovalTiming {
  /** How long `after-destroy` waits for the node to go offline. @default 300 */
  readonly waitSeconds?: number;
  /** How often it asks meanwhile. @default 10 */
  readonly pollSeconds?: number;
  /** Tailscale's API. @default `TAILSCALE_BASE_URL`, or Tailscale's own */
  readonly base?: string;
}

/**
 * Removes the server's offline nodes; a connected node is never removed.
 *
 * - `before-create`: no server of this name exists in the stack, so an
 *   offline node of its name is a stale one. It must go before the new server
 *   joins: while it holds the name, Tailscale names the new node `<name>-1`,
 *   and every step would dial the stale one.
 * - `after-destroy`: the server was just deleted, and Tailscale notices its
 *   node is gone a little later; this waits for that (at most `waitSeconds`).
 *   A node still connected then belongs to a server that still runs (the
 *   stack switched back to an auth key, say) and stays.
 */
export async function removeNodes(
  client: OAuthClient,
  query: NodeQuery,
  moment: NodeMoment,
  timing: RemovalTiming = {},
): Promise<RemovalResult> {
  const api = await TailscaleApi.connect(client, timing.base);
  let nodes = nodesOf(await api.devices(query.tailnet), query);
  if (moment === "after-destroy") {
    const deadline = Date.now() + (timing.waitSeconds ?? 300) * 1000;
    while (nodes.some((n) => !offline(n)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, (timing.pollSeconds ?? 10) * 1000));
      nodes = nodesOf(await api.devices(query.tailnet), query);
    }
  }
  const stale = nodes.filter(offline);
  for (const node of stale) await api.deleteDevice(node);
  return { removed: stale.map((n) => n.name), connected: nodes.filter((n) => !offline(n)).map((n) => n.name) };
}
