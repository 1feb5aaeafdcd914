/**
 * `openclaw-infra tailnet-nodes <remove-offline|remove-when-offline|keep>`:
 * what the Host's tailnet-node step runs on your machine (a local command of
 * `@pulumi/command`) when a Tailscale OAuth client is set. The server's name,
 * the tags and the tailnet come in the environment; the client's credentials
 * as one JSON document on stdin, never in an argument or the environment.
 */
import { removeNodes, TAILNET_NODE_COMMANDS, TAILNET_NODE_ENV, type NodeMoment } from "../tailnet/nodes.js";

/** A mistake in how the command was called: exit 2, as for any usage error. */
export class TailnetNodesUsageError extends Error {}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const MOMENTS: Readonly<Record<string, NodeMoment>> = {
  [TAILNET_NODE_COMMANDS.create]: "before-create",
  [TAILNET_NODE_COMMANDS.delete]: "after-destroy",
};

/** Runs the subcommand; returns the exit code. Messages never hold the credentials. */
export async function tailnetNodes(subcommand: string | undefined, env = process.env): Promise<number> {
  if (subcommand === TAILNET_NODE_COMMANDS.update) {
    process.stdout.write("the tailnet is left as it is while the server runs\n");
    return 0;
  }
  const moment = subcommand === undefined ? undefined : MOMENTS[subcommand];
  if (!moment)
    throw new TailnetNodesUsageError(
      `tailnet-nodes: expected ${Object.values(TAILNET_NODE_COMMANDS).join(", ")}, not ${JSON.stringify(subcommand ?? "")}`,
    );
  const hostname = env[TAILNET_NODE_ENV.hostname];
  const tags = (env[TAILNET_NODE_ENV.tags] ?? "").split(",").filter(Boolean);
  if (!hostname || tags.length === 0)
    throw new TailnetNodesUsageError(
      `tailnet-nodes: ${TAILNET_NODE_ENV.hostname} and ${TAILNET_NODE_ENV.tags} must be set`,
    );
  let client: { clientId?: unknown; clientSecret?: unknown };
  try {
    client = JSON.parse(await readStdin()) as typeof client;
  } catch {
    throw new TailnetNodesUsageError("tailnet-nodes: stdin is not the OAuth client as JSON");
  }
  if (typeof client?.clientId !== "string" || typeof client.clientSecret !== "string")
    throw new TailnetNodesUsageError("tailnet-nodes: stdin lacks clientId or clientSecret");
  const wait = Number(env.OPENCLAW_TAILNET_WAIT_SECONDS);
  const { removed, connected } = await removeNodes(
    { clientId: client.clientId, clientSecret: client.clientSecret },
    { tailnet: env[TAILNET_NODE_ENV.tailnet] || "-", hostname, tags },
    moment,
    Number.isFinite(wait) && wait >= 0
      ? { waitSeconds: wait, pollSeconds: Math.min(10, Math.max(wait / 10, 0.1)) }
      : {},
  );
  const lines = [
    removed.length > 0
      ? `removed the offline node(s) of ${hostname}: ${removed.join(", ")}`
      : `no offline node of ${hostname} to remove`,
    ...(connected.length > 0
      ? [`left in place, connected: ${connected.join(", ")} (a server of this name still runs)`]
      : []),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
