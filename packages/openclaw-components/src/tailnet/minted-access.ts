import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as tailscale from "@pulumi/tailscale";
import type { ResolvedOAuthClient } from "./args.js";
import { TAILNET_NODE_COMMANDS, TAILNET_NODE_ENV, TAILNET_NODE_INTERPRETER } from "./nodes.js";

/**
 * A minted key lives until the server that uses it is created, normally
 * seconds later; a week leaves room for an `up` that failed halfway and is
 * run again days later.
 */
export const MINTED_KEY_EXPIRY_SECONDS = 7 * 24 * 3600;

/** What an OAuth client gives one server. */
export interface MintedAccess {
  /** The single-use auth key the server joins with (secret). */
  readonly authKey: pulumi.Output<string>;
  readonly key: tailscale.TailnetKey;
  /**
   * The step on your machine that clears the server's name on the tailnet:
   * before the server is created it removes offline nodes left under that
   * name; when the server is destroyed (it depends on this step, so it goes
   * first) it removes the server's node once Tailscale sees it offline. It
   * never removes a connected node, and changes nothing while the server runs.
   */
  readonly node: command.local.Command;
}

/**
 * Mints the auth key of the server `hostname` with an OAuth client, and the
 * step that keeps its tailnet name free. A rebuild destroys the key (the
 * server and its steps depend on it) and the next `up` mints a new one, so
 * nothing is pasted by hand; a used single-use key is never recreated
 * (`recreateIfInvalid: "never"`), so a used key does not churn.
 */
export function mintTailnetAccess(
  name: string,
  client: ResolvedOAuthClient,
  hostname: pulumi.Input<string>,
  parent: pulumi.Resource,
): MintedAccess {
  const provider = new tailscale.Provider(
    `${name}-tailscale`,
    { oauthClientId: client.clientId, oauthClientSecret: pulumi.secret(client.clientSecret), tailnet: client.tailnet },
    { parent },
  );
  const key = new tailscale.TailnetKey(
    `${name}-tailscale-auth-key`,
    {
      reusable: false,
      ephemeral: false,
      preauthorized: true,
      tags: client.tags,
      expiry: MINTED_KEY_EXPIRY_SECONDS,
      // At most 50 characters of letters, digits and dashes (Tailscale's API).
      description: pulumi.output(hostname).apply((h) => `openclaw-${h}`.slice(0, 50)),
      recreateIfInvalid: "never",
    },
    { parent, provider },
  );
  const node = new command.local.Command(
    `${name}-tailnet-node`,
    {
      interpreter: [...TAILNET_NODE_INTERPRETER],
      create: TAILNET_NODE_COMMANDS.create,
      update: TAILNET_NODE_COMMANDS.update,
      delete: TAILNET_NODE_COMMANDS.delete,
      environment: {
        [TAILNET_NODE_ENV.tailnet]: client.tailnet,
        [TAILNET_NODE_ENV.hostname]: hostname,
        [TAILNET_NODE_ENV.tags]: client.tags.join(","),
      },
      stdin: pulumi.secret(
        pulumi
          .all([client.clientId, client.clientSecret])
          .apply(([clientId, clientSecret]) => JSON.stringify({ clientId, clientSecret })),
      ),
      addPreviousOutputInEnv: false,
    },
    { parent, dependsOn: [key], additionalSecretOutputs: ["stdin"] },
  );
  return { authKey: pulumi.secret(key.key), key, node };
}
