import type { ArgIssue } from "../validate/errors.js";
import { OpenClawArgsError } from "../validate/errors.js";
import { docsUrl } from "../docs-url.js";

/** The server's arguments that are fixed once it exists. */
export interface ServerIdentity {
  readonly name: string;
  readonly location: string;
  readonly image: string;
}

const REBUILD = docsUrl("operations.md", "rebuilding-the-server");

/**
 * The server's name, once the server exists: the name it was created with,
 * after checking that nothing fixed at creation is asked to change.
 *
 * - `serverName`: a server joins the tailnet under its name at first boot
 *   (`tailscale up --hostname`) and keeps that node name. Hetzner would rename
 *   the server in place, but every step would then dial `<new name>.<tailnet>`,
 *   which no node holds.
 * - `location`, `image`: the provider replaces the server for either. A
 *   replacement boots with the user-data recorded at the first creation (the
 *   engine keeps an ignored input's recorded value, also on replacement), so
 *   with a Tailscale auth key that is spent by then, and the old node still
 *   holds the name: the new server never answers, after the old one and its
 *   disk are gone. A rebuild (the server deleted from the stack, then created)
 *   uses the current key.
 *
 * So the server ignores later changes to all three, and a change is refused
 * here: `pulumi preview` fails, naming each argument, before any resource
 * changes. A `location` or `image` left at its default is not compared: a
 * release that changes the default leaves running servers as they are.
 * `created` is what the provider holds (with `ignoreChanges`, the values the
 * server was created with; on a new stack, `wanted` itself).
 */
export function serverAsCreated(
  resource: string,
  created: ServerIdentity,
  wanted: ServerIdentity,
  chosen: { readonly location: boolean; readonly image: boolean } = { location: true, image: true },
): string {
  const issues: ArgIssue[] = [];
  if (created.name !== wanted.name)
    issues.push({
      path: "serverName",
      problem: `"${wanted.name}" would rename the server "${created.name}", whose tailnet node keeps the name it took at first boot, so every step would dial a name no node holds`,
      expected: `"${created.name}" while this server exists; to give it a new name, rebuild it with the new name (${REBUILD})`,
    });
  for (const [path, key] of [
    ["location", "location"],
    ["image", "image"],
  ] as const) {
    // An empty recorded value (a refresh that found the image gone from Hetzner) proves no change;
    // a default the user never chose follows the server as created.
    if (!created[key] || created[key] === wanted[key] || !chosen[key]) continue;
    issues.push({
      path,
      problem: `"${wanted[key]}" would replace the server "${created.name}" (${path} "${created[key]}"): the new one would boot with the Tailscale auth key recorded at the first creation, most likely spent, after the old one and its disk are deleted`,
      expected: `"${created[key]}" while this server exists; to change it, rebuild the server with a fresh auth key (${REBUILD})`,
    });
  }
  if (issues.length > 0) throw new OpenClawArgsError(resource, issues);
  return wanted.name;
}
