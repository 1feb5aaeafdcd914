import type * as pulumi from "@pulumi/pulumi";
import { plainIdList } from "../validate/id-list.js";
import { argKeys } from "../validate/known-keys.js";
import type { Rule } from "../validate/rules.js";
import type { ArgValidator } from "../validate/validator.js";
import { isInputLike } from "../validate/validator.js";

/**
 * A Tailscale OAuth client the library uses instead of an auth key you paste:
 * it mints a single-use, pre-authorised key tagged with `tags` for each server
 * it creates, and removes the server's tailnet node when the server is
 * destroyed, or finds it offline when a new server takes its name.
 * Create it in the admin console (Settings → OAuth clients) with the scopes
 * `auth_keys` and `devices:core` (write) and the same tags.
 */
export interface TailscaleOAuthClientOptions {
  /** The client's id. */
  clientId: pulumi.Input<string>;
  /** The client's secret, `tskey-client-…` (secret). It reaches Tailscale's API only. */
  clientSecret: pulumi.Input<string>;
  /**
   * Tags the server's node gets, e.g. `["tag:openclaw"]`: 1 to 10, each owned
   * by the client. Only nodes carrying one of them are ever removed.
   */
  tags: string[];
  /**
   * The tailnet, as Tailscale's API names it.
   * @default "-" (the client's own tailnet)
   */
  tailnet?: pulumi.Input<string>;
}

export const TAILSCALE_OAUTH_CLIENT_KEYS = argKeys<TailscaleOAuthClientOptions>({
  clientId: true,
  clientSecret: true,
  tags: true,
  tailnet: true,
});

const clientId: Rule<string> = (v) =>
  typeof v === "string" && /^[A-Za-z0-9]{1,64}$/.test(v)
    ? undefined
    : { problem: "is not an OAuth client id", expected: "the client's id from the admin console: letters and digits" };

const clientSecret: Rule<string> = (v) =>
  typeof v === "string" && /^tskey-client-[A-Za-z0-9-]{1,200}$/.test(v)
    ? undefined
    : {
        problem: "is not an OAuth client secret",
        expected: 'the secret shown once at the client\'s creation: "tskey-client-…"',
      };

const tag: Rule<unknown> = (v) =>
  typeof v === "string" && /^tag:[A-Za-z][A-Za-z0-9-]{0,62}$/.test(v)
    ? undefined
    : {
        problem: "is not a Tailscale tag",
        expected: '"tag:" and a name of letters, digits and dashes, e.g. "tag:openclaw"',
      };

const tailnet: Rule<string> = (v) =>
  typeof v === "string" && /^(-|[A-Za-z0-9][A-Za-z0-9@._-]{0,252})$/.test(v)
    ? undefined
    : {
        problem: "is not a tailnet name",
        expected: '"-" (the client\'s own tailnet), or its name or id as in the admin console, e.g. "example.com"',
      };

/** The client, checked, with its default tailnet. */
export interface ResolvedOAuthClient {
  readonly clientId: pulumi.Input<string>;
  readonly clientSecret: pulumi.Input<string>;
  readonly tags: string[];
  readonly tailnet: pulumi.Input<string>;
}

/**
 * Checks an OAuth client's arguments into `v`, under `path`. The tags must be
 * plain: they decide which nodes may be removed.
 */
export function resolveTailscaleOAuthClient(o: TailscaleOAuthClientOptions, v: ArgValidator, path: string) {
  if (typeof o !== "object" || o === null || isInputLike(o)) {
    v.add({ path, problem: "is not a plain object", expected: '{ clientId, clientSecret, tags: ["tag:openclaw"] }' });
    return undefined;
  }
  v.knownKeys(path, o, TAILSCALE_OAUTH_CLIENT_KEYS);
  const resolved: ResolvedOAuthClient = {
    clientId: v.check(`${path}.clientId`, o.clientId, clientId),
    clientSecret: v.checkSecret(`${path}.clientSecret`, o.clientSecret, clientSecret),
    tags: plainIdList(o.tags, `${path}.tags`, tag, v, { max: 10, example: '["tag:openclaw"]' }),
    tailnet: v.check(`${path}.tailnet`, o.tailnet ?? "-", tailnet),
  };
  if (Array.isArray(o.tags) && o.tags.length === 0)
    v.add({
      path: `${path}.tags`,
      problem: "is empty",
      expected: "at least one tag: keys an OAuth client mints must be tagged, and only tagged nodes are removed",
    });
  return resolved;
}
