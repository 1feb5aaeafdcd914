/**
 * What the real providers do with the inputs this library sends, per type
 * token: which inputs replace a resource when they change, and which ones the
 * provider stores in another form than it was sent (Pulumi then diffs the next
 * run's inputs against the stored form). The mocks, the change-impact helper
 * and the plan all read these tables, so they behave as the providers do. The
 * source of each fact is in
 * https://github.com/openclaw/infra-components/blob/main/docs/architecture.md#what-the-providers-do.
 */
import { HETZNER_SERVER_TYPES } from "../validate/rules.js";

/** Inputs whose change replaces the resource, per type token. */
export const REPLACING_INPUTS: Readonly<Record<string, readonly string[]>> = {
  // terraform-provider-hcloud, server resource: ForceNew on these.
  "hcloud:index/server:Server": ["image", "location", "datacenter", "userData", "sshKeys"],
  // terraform-provider-hcloud, ssh_key resource: public_key is ForceNew.
  "hcloud:index/sshKey:SshKey": ["publicKey"],
  // pulumi-command: only a trigger change replaces a Command, local or remote.
  "command:remote:Command": ["triggers"],
  "command:local:Command": ["triggers"],
  // terraform-provider-tailscale, tailnet_key resource: these are RequiresReplace.
  "tailscale:index/tailnetKey:TailnetKey": ["reusable", "ephemeral", "tags", "preauthorized", "expiry", "description"],
  "tls:index/privateKey:PrivateKey": ["algorithm", "ecdsaCurve", "rsaBits"],
  "random:index/randomPassword:RandomPassword": [
    "length",
    "lower",
    "minLower",
    "minNumeric",
    "minSpecial",
    "minUpper",
    "number",
    "numeric",
    "overrideSpecial",
    "special",
    "upper",
    "keepers",
  ],
};

const trimmed = (v: unknown): unknown => (typeof v === "string" ? v.trim() : v);

/**
 * Inputs a provider stores normalised, per type token. Hetzner's API trims
 * whitespace from an SSH public key since 2026-04-22, and the hcloud provider
 * stores what the API returns.
 */
const STORED_AS: Readonly<Record<string, Readonly<Record<string, (v: unknown) => unknown>>>> = {
  "hcloud:index/sshKey:SshKey": { publicKey: trimmed },
};

/** `inputs` as the provider of `type` stores them. */
export function storedInputs(type: string, inputs: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const rules = STORED_AS[type];
  if (!rules) return { ...inputs };
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, rules[k] ? rules[k](v) : v]));
}

/**
 * Why the provider of `type` would refuse to change `before` into `after` in
 * place, or undefined when it would not. Hetzner changes a server's type only
 * within one CPU architecture (x86 `cx`/`cpx`/`ccx`, Arm `cax`).
 */
export function refusedChange(
  type: string,
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): string | undefined {
  if (type !== "hcloud:index/server:Server" || before.serverType === after.serverType) return undefined;
  const from = HETZNER_SERVER_TYPES[String(before.serverType)];
  const to = HETZNER_SERVER_TYPES[String(after.serverType)];
  if (!from || !to || from === to) return undefined;
  return `Hetzner cannot change a server from ${String(before.serverType)} (${from}) to ${String(after.serverType)} (${to}) in place: the CPU architecture would change, and the update fails`;
}
