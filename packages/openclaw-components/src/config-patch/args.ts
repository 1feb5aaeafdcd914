/**
 * The `openclawConfig` escape hatch's arguments: any other OpenClaw setting,
 * as a config-shaped patch applied last with OpenClaw's own `config patch`.
 * Checked here, at construction, so that a patch which would take a key the
 * library owns, or weaken the security model, never reaches a host. Pure.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ConfigPatch } from "../gateway/openclaw-config.js";
import type { ArgIssue } from "../validate/errors.js";
import type { Rule } from "../validate/rules.js";
import { MAX_ARG_TEXT_BYTES } from "../validate/text.js";
import { isInputLike, type ArgValidator } from "../validate/validator.js";
import { isPlainObject } from "../validate/values.js";

/** The `openclawConfig` block of `OpenClawDeploymentArgs`. */
export interface OpenClawConfigOptions {
  /**
   * A config-shaped JSON object merged into `~/.openclaw/openclaw.json` after
   * every part of the library has applied its own, with `openclaw config
   * patch` (which validates it against the pinned OpenClaw's schema, or
   * leaves the live config unchanged). Objects merge; arrays and values
   * replace. A key dropped from the patch is deleted from the config on the
   * next `pulumi up`. A plain value (not an Output), so it is checked before
   * anything is created. The keys the library owns are refused (see
   * `OWNED_CONFIG_KEYS`), and so are `elevated.enabled: true` and an agent's
   * `sandbox.mode: "off"` anywhere. A secret goes in `secrets` and is written
   * here as `{ $secret: "<name>" }`.
   * @default `{}`
   */
  // `any`, not `unknown`: Pulumi's component analyzer maps `any` to its
  // Any type and refuses `unknown`. The value is checked at construction.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  patch: Record<string, any>;
  /**
   * Secret values the patch refers to as `{ $secret: "<name>" }` (names:
   * letters, digits, `_`, `-`). They reach the host on stdin only; plans and
   * state show `<secret:openclawConfig.secrets.<name>>`.
   * @default `{}`
   */
  secrets?: Record<string, pulumi.Input<string>>;
}

/** The patch as resolved: `$secret` references still in place. */
export interface OpenClawConfigPatchSettings {
  /** The user's patch, `{ $secret: name }` where a secret goes. */
  readonly patch: ConfigPatch;
  /** Loopback port of the gateway (restarted when the config changes). */
  readonly port: number;
}

/** The key a patch uses for a secret reference: `{ $secret: "<name>" }`. */
export const SECRET_REF_KEY = "$secret";

/**
 * Config keys the library sets and re-asserts on every `pulumi up`, and the
 * argument that sets each. A patch may not touch them or anything under them.
 */
export const OWNED_CONFIG_KEYS: ReadonlyArray<{ readonly path: string; readonly by: string }> = [
  {
    path: "gateway",
    by: "the library (the gateway listens on loopback with token auth behind Tailscale Serve; gatewayPort and gatewayTokenVersion set its port and token)",
  },
  { path: "agents.defaults.model", by: "the model argument" },
  { path: "agents.defaults.thinkingDefault", by: "the thinkingDefault argument" },
  { path: "agents.defaults.sandbox", by: "the sandbox argument" },
  { path: "tools.elevated", by: "the library (elevated tools run outside the sandbox and stay off)" },
  { path: "channels.telegram", by: "the telegram argument" },
  { path: "channels.discord", by: "the discord argument" },
  { path: "channels.slack", by: "the slack argument" },
  { path: "channels.whatsapp", by: "the whatsapp argument" },
];

/**
 * Largest patch, as JSON: the step's environment carries it (secrets as
 * placeholders) for the plan, and one environment string holds 128 KiB.
 */
export const MAX_PATCH_BYTES = MAX_ARG_TEXT_BYTES;
const MAX_DEPTH = 16;
const AGENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const SECRET_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
// Keys whose plain string value is almost surely a credential.
const SECRET_LIKE_KEY = /(token|secret|password|passphrase|api_?key|private_?key)$/i;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** `{ $secret: "name" }`: where a secret value goes. */
export function secretRefName(v: unknown): string | undefined {
  if (!isPlainObject(v)) return undefined;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === SECRET_REF_KEY && typeof v[SECRET_REF_KEY] === "string"
    ? (v[SECRET_REF_KEY] as string)
    : undefined;
}

const dotted = (keys: readonly string[]) => keys.join(".");
const startsWith = (a: readonly string[], b: readonly string[]) => b.every((k, i) => a[i] === k);

/** Every problem with a patch's shape and content, naming the key. */
export function patchIssues(
  patch: unknown,
  at: string,
  secretNames: ReadonlySet<string>,
  secretsAt: string,
): ArgIssue[] {
  const issues: ArgIssue[] = [];
  const used = new Set<string>();
  if (isInputLike(patch) || !isPlainObject(patch)) {
    issues.push({
      path: at,
      problem: isInputLike(patch) ? "is an Output or a promise" : "is not a plain object",
      expected:
        "a plain, config-shaped object (it is checked before anything is created; secrets go in openclawConfig.secrets)",
    });
    return issues;
  }
  const owned = OWNED_CONFIG_KEYS.map((o) => ({ keys: o.path.split("."), by: o.by }));
  const walk = (v: unknown, keys: string[], insideArray: boolean): void => {
    const path = `${at}.${dotted(keys)}`;
    if (keys.length > MAX_DEPTH) {
      issues.push({ path, problem: `nests deeper than ${MAX_DEPTH} levels`, expected: "a shallower patch" });
      return;
    }
    const ref = secretRefName(v);
    if (ref !== undefined) {
      if (!secretNames.has(ref))
        issues.push({
          path,
          problem: `refers to the secret "${ref}", which openclawConfig.secrets does not hold`,
          expected: `a name from openclawConfig.secrets${secretNames.size ? ` (${[...secretNames].join(", ")})` : " (it is empty)"}`,
        });
      used.add(ref);
      return;
    }
    if (isInputLike(v)) {
      issues.push({
        path,
        problem: "is an Output or a promise",
        expected: 'a plain value; a secret goes in openclawConfig.secrets and here as { $secret: "<name>" }',
      });
      return;
    }
    if (v === null) {
      issues.push({
        path,
        problem: "is null, which `openclaw config patch` reads as 'delete this key'",
        expected: "a value, or the key left out (a key dropped from the patch is deleted on the next up)",
      });
      return;
    }
    if (typeof v === "number" && !Number.isFinite(v)) {
      issues.push({ path, problem: "is not a finite number", expected: "a JSON number" });
      return;
    }
    if (typeof v === "string") {
      const last = keys.at(-1) ?? "";
      if (SECRET_LIKE_KEY.test(last) && v !== "")
        issues.push({
          path,
          problem: "looks like a secret written as plain text",
          expected: `the value in openclawConfig.secrets (e.g. { ${last}: cfg.requireSecret("…") }) and here { $secret: "${last}" }`,
        });
      return;
    }
    if (typeof v === "boolean" || typeof v === "number") return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...keys.slice(0, -1), `${keys.at(-1)}[${i}]`], true));
      return;
    }
    if (!isPlainObject(v)) {
      issues.push({
        path,
        problem: `is a ${typeof v}, which JSON cannot hold`,
        expected: "JSON: text, number, true/false, a list or an object",
      });
      return;
    }
    for (const [k, x] of Object.entries(v)) walkKey(k, x, keys, insideArray);
  };
  const walkKey = (k: string, x: unknown, keys: string[], insideArray: boolean): void => {
    const child = [...keys, k];
    const path = `${at}.${dotted(child)}`;
    if (
      k === "" ||
      FORBIDDEN_KEYS.has(k) ||
      k.startsWith("$") ||
      [...k].some((c) => c < " " || c === "\x7f") ||
      k.length > 128
    ) {
      issues.push({
        path,
        problem: "is not a key the patch may hold",
        expected:
          "a config key of OpenClaw (not empty, not starting with $, no control characters, at most 128 characters)",
      });
      return;
    }
    // An agent's id is passed to `openclaw agents delete` when the patch drops it.
    if (!insideArray && dotted(keys) === "agents.entries" && !AGENT_ID.test(k)) {
      issues.push({
        path,
        problem: "is not an OpenClaw agent id",
        expected: "lowercase letters, digits, _ and -, starting with a letter or digit, at most 64 characters",
      });
      return;
    }
    if (!insideArray) {
      const clash = owned.find((o) => startsWith(o.keys, child) || startsWith(child, o.keys));
      // A key on the way to an owned one (agents, agents.defaults) is fine as long as it holds an object.
      if (clash && (startsWith(child, clash.keys) || !isPlainObject(x))) {
        issues.push({
          path,
          problem: `${startsWith(child, clash.keys) ? "is" : "replaces"} ${dotted(clash.keys)}, which is set by ${clash.by}`,
          expected: `no ${dotted(clash.keys)} in openclawConfig.patch`,
        });
        return;
      }
    }
    // Per-agent settings can weaken what the defaults hold (agents.list[i].tools.elevated, .sandbox).
    if (k === "elevated" && isPlainObject(x) && x.enabled === true) {
      issues.push({
        path: `${path}.enabled`,
        problem: "turns elevated tools on, which run outside the sandbox",
        expected: "no elevated.enabled: true anywhere in openclawConfig.patch",
      });
      return;
    }
    if (k === "sandbox" && keys[0] === "agents" && isPlainObject(x) && x.mode === "off") {
      issues.push({
        path: `${path}.mode`,
        problem: "switches the sandbox off for an agent",
        expected: 'no sandbox.mode: "off" in openclawConfig.patch (switch the sandbox off with sandbox.enabled: false)',
      });
      return;
    }
    walk(x, child, insideArray);
  };
  for (const [k, x] of Object.entries(patch)) walkKey(k, x, [], false);
  for (const name of secretNames)
    if (!used.has(name))
      issues.push({
        path: `${secretsAt}.${name}`,
        problem: "is not referred to by the patch",
        expected: `{ $secret: "${name}" } somewhere in openclawConfig.patch, or no such secret`,
      });
  if (issues.length === 0) {
    const bytes = Buffer.byteLength(JSON.stringify(patch));
    if (bytes > MAX_PATCH_BYTES)
      issues.push({ path: at, problem: `is ${bytes} bytes as JSON`, expected: `at most ${MAX_PATCH_BYTES} bytes` });
  }
  return issues;
}

const secretValue: Rule<string> = (v) =>
  typeof v === "string" && v.length > 0
    ? undefined
    : { problem: "is empty or not text", expected: "the secret's text" };

/**
 * Checks `openclawConfig` and returns it with each secret checked (an Output
 * secret when it resolves). Every problem is recorded in `v`.
 */
export function resolveOpenClawConfigArgs(
  o: OpenClawConfigOptions | undefined,
  v: ArgValidator,
  prefix = "openclawConfig.",
): { readonly patch: ConfigPatch; readonly secrets: Readonly<Record<string, pulumi.Input<string>>> } {
  if (o === undefined) return { patch: {}, secrets: {} };
  const secrets: Record<string, pulumi.Input<string>> = {};
  const raw = o.secrets ?? {};
  if (isInputLike(raw) || !isPlainObject(raw)) {
    v.add({
      path: `${prefix}secrets`,
      problem: "is not a plain object of names",
      expected: '{ name: cfg.requireSecret("…") }: the names must be known before anything is created',
    });
  } else {
    for (const [name, value] of Object.entries(raw)) {
      if (!SECRET_NAME.test(name)) {
        v.add({
          path: `${prefix}secrets.${JSON.stringify(name)}`,
          problem: "is not a secret name",
          expected: "a letter, then letters, digits, _ or -, at most 64 characters",
        });
        continue;
      }
      secrets[name] = v.checkSecret(`${prefix}secrets.${name}`, value, secretValue);
    }
  }
  for (const issue of patchIssues(o.patch ?? {}, `${prefix}patch`, new Set(Object.keys(secrets)), `${prefix}secrets`))
    v.add(issue);
  return { patch: (isPlainObject(o.patch) ? o.patch : {}) as ConfigPatch, secrets };
}

/** The patch with each `{ $secret: name }` replaced by `value(name)`. */
export function substituteSecrets(patch: ConfigPatch, value: (name: string) => string): ConfigPatch {
  const sub = (v: unknown): unknown => {
    const ref = secretRefName(v);
    if (ref !== undefined) return value(ref);
    if (Array.isArray(v)) return v.map(sub);
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sub(x)]));
    return v;
  };
  return sub(patch) as ConfigPatch;
}
