import { OpenClawArgsError } from "../validate/errors.js";
import { docsUrl } from "../docs-url.js";

/**
 * The server's name, once the server exists: the name it was created with.
 *
 * A server joins the tailnet under its name at first boot (`tailscale up
 * --hostname`) and keeps that node name. Hetzner would rename the server in
 * place, but every step would then dial `<new name>.<tailnet>`, which no node
 * holds. So the server ignores later changes to its name, and a changed
 * `serverName` is refused here: `pulumi preview` fails, naming the argument,
 * before any resource changes.
 *
 * `created` is the server's `name` as the provider holds it (with
 * `ignoreChanges: ["name"]`, the name it was created with; on a new stack,
 * `wanted` itself).
 */
export function serverNameAsCreated(resource: string, created: string, wanted: string): string {
  if (created === wanted) return wanted;
  throw new OpenClawArgsError(resource, [
    {
      path: "serverName",
      problem: `"${wanted}" would rename the server "${created}", whose tailnet node keeps the name it took at first boot, so every step would dial a name no node holds`,
      expected: `"${created}" while this server exists; to give it a new name, rebuild it with the new name (${docsUrl("operations.md", "rebuilding-the-server")})`,
    },
  ]);
}
