/**
 * `openclaw-infra tailnet-nodes <remove-offline|remove>`: what the Host's
 * tailnet-node step runs on your machine (a local command of
 * `@pulumi/command`) when a Tailscale OAuth client is set. The server's name,
 * the tags and the tailnet come in the environment; the client's credentials
 * as one JSON document on stdin, never in an argument or the environment.
 */
import { removeNodes, TAILNET_NODE_COMMANDS, TAILNET_NODE_ENV, type NodeSelection } from "../tailnet/nodes.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Runs the subcommand; returns the exit code. Messages never hold the credentials. */
export async function tailnetNodes(subcommand: string | undefined, env = process.env): Promise<number> {
  const which = (Object.keys(TAILNET_NODE_COMMANDS) as NodeSelection[]).find(
    (k) => TAILNET_NODE_COMMANDS[k] === subcommand,
  );
  if (!which)
    throw new Error(`tailnet-nodes: expected "remove-offline" or "remove", not ${JSON.stringify(subcommand)}`);
  const hostname = env[TAILNET_NODE_ENV.hostname];
  const tags = (env[TAILNET_NODE_ENV.tags] ?? "").split(",").filter(Boolean);
  if (!hostname || tags.length === 0)
    throw new Error(`tailnet-nodes: ${TAILNET_NODE_ENV.hostname} and ${TAILNET_NODE_ENV.tags} must be set`);
  let client: { clientId?: unknown; clientSecret?: unknown };
  try {
    client = JSON.parse(await readStdin()) as typeof client;
  } catch {
    throw new Error("tailnet-nodes: stdin is not the OAuth client as JSON");
  }
  if (typeof client?.clientId !== "string" || typeof client.clientSecret !== "string")
    throw new Error("tailnet-nodes: stdin lacks clientId or clientSecret");
  const removed = await removeNodes(
    { clientId: client.clientId, clientSecret: client.clientSecret },
    { tailnet: env[TAILNET_NODE_ENV.tailnet] || "-", hostname, tags, which },
  );
  const what = which === "offline" ? "offline node" : "node";
  process.stdout.write(
    removed.length > 0
      ? `removed ${removed.length} ${what}(s) of ${hostname}: ${removed.join(", ")}\n`
      : `no ${what} of ${hostname} to remove\n`,
  );
  return 0;
}
