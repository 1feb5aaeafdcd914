import type * as pulumi from "@pulumi/pulumi";
import type { Host } from "../host/host.js";
import { dialLimitFor } from "../remote/dial-budget.js";
import * as rules from "../validate/rules.js";
import { argKeys } from "../validate/known-keys.js";
import type { ArgValidator } from "../validate/validator.js";
import { isPlainObject } from "../validate/values.js";
import { DEFAULT_NODE_RUNTIME, DEFAULT_OPENCLAW_VERSION } from "../versions.js";
import { resolveOffServerArgs, type OffServerBackupOptions, type OffServerSettings } from "../backup/off-server.js";
import type { GatewaySettings, NodeRuntimeSettings } from "./steps.js";

/** Defaults of the gateway the library configures. */
export const GATEWAY_DEFAULTS = {
  openclawVersion: DEFAULT_OPENCLAW_VERSION,
  // What the pinned OpenClaw's own onboarding picks.
  model: "anthropic/claude-opus-5",
  thinkingDefault: "high",
  port: 18789,
  nodeRuntime: DEFAULT_NODE_RUNTIME,
} as const;

/**
 * How long the first step keeps dialling while a new server boots, runs apt,
 * installs Tailscale and joins the tailnet.
 */
export const BOOT_DIAL_MINUTES = 30;
/** The `dialErrorLimit` that gives the first step `BOOT_DIAL_MINUTES` of dialling (368). */
export const BOOT_DIAL_ERROR_LIMIT = dialLimitFor(BOOT_DIAL_MINUTES * 60_000);

/** One provider's API key. */
export interface ProviderApiKey {
  /** The API key (secret), e.g. `cfg.requireSecret("openaiApiKey")`. */
  apiKey: pulumi.Input<string>;
}

/** API keys of the model providers the library can store a credential for. */
export interface ModelAuthOptions {
  /** An Anthropic API key (`sk-ant-api03-…`), instead of `claudeSetupToken`. */
  anthropic?: ProviderApiKey;
  /** An OpenAI Platform API key (`sk-proj-…`). */
  openai?: ProviderApiKey;
  /** An OpenRouter API key (`sk-or-v1-…`); models are `openrouter/<vendor>/<model>`. */
  openrouter?: ProviderApiKey;
}

const MODEL_AUTH_KEYS = argKeys<ModelAuthOptions>({ anthropic: true, openai: true, openrouter: true });
const PROVIDER_KEYS = argKeys<ProviderApiKey>({ apiKey: true });

/**
 * The model credentials: the setup token and each API key checked, and the
 * providers they authenticate (in `MODEL_AUTH_PROVIDERS` order).
 */
function resolveModelAuth(
  args: Pick<GatewayArgs, "claudeSetupToken" | "modelAuth">,
  v: ArgValidator,
  tokenPath: string,
  authPath: string,
) {
  const apiKeys: Partial<Record<rules.ModelAuthProvider, pulumi.Input<string>>> = {};
  // Which providers have a key must be known now: it decides the model check.
  const auth: unknown = args.modelAuth ?? {};
  if (!isPlainObject(auth))
    v.add({
      path: authPath,
      problem: "is not a plain object",
      expected: '{ openai: { apiKey: cfg.requireSecret("openaiApiKey") } } (the keys themselves may be Outputs)',
    });
  else v.knownKeys(authPath, auth, MODEL_AUTH_KEYS);
  for (const provider of rules.MODEL_AUTH_PROVIDERS) {
    const block = isPlainObject(auth) ? auth[provider] : undefined;
    if (block === undefined) continue;
    if (!isPlainObject(block)) {
      v.add({
        path: `${authPath}.${provider}`,
        problem: "is not a plain object",
        expected: "{ apiKey } with the provider's API key (secret)",
      });
      continue;
    }
    v.knownKeys(`${authPath}.${provider}`, block, PROVIDER_KEYS);
    if (block.apiKey === undefined) {
      v.add({
        path: `${authPath}.${provider}.apiKey`,
        problem: "is missing",
        expected: "the provider's API key (secret)",
      });
      continue;
    }
    apiKeys[provider] = v.checkSecret(
      `${authPath}.${provider}.apiKey`,
      block.apiKey as pulumi.Input<string>,
      rules.apiKeyOf(provider),
    );
  }
  if (args.claudeSetupToken !== undefined && apiKeys.anthropic !== undefined)
    v.add({
      path: `${authPath}.anthropic`,
      problem: `is set together with ${tokenPath}`,
      expected: `one Anthropic credential: ${tokenPath} (a Claude subscription) or ${authPath}.anthropic.apiKey`,
    });
  const claudeSetupToken =
    args.claudeSetupToken !== undefined ? v.checkSecret(tokenPath, args.claudeSetupToken, rules.setupToken) : undefined;
  const providers = credentialProviders(
    claudeSetupToken !== undefined,
    rules.MODEL_AUTH_PROVIDERS.filter((p) => apiKeys[p] !== undefined),
  );
  if (providers.length === 0)
    v.add({
      path: tokenPath,
      problem: "is missing, and so is every API key",
      expected: `a Claude setup token (\`claude setup-token\`), or an API key in ${authPath} (anthropic, openai or openrouter)`,
    });
  return { claudeSetupToken, apiKeys, providers };
}

export interface GatewayArgs {
  /** The host the gateway runs on (its server, admin key and Tailscale hostname). */
  host: Host;
  /**
   * Anthropic setup token from `claude setup-token` (secret, starts with
   * `sk-ant-oat01-`): a Claude subscription. Reaches the host on stdin only.
   * Needed unless `modelAuth` holds a key for the model's provider.
   * @default unset: then `modelAuth` must authenticate the model's provider
   */
  claudeSetupToken?: pulumi.Input<string>;
  /**
   * Provider API keys (secret), stored with OpenClaw's own
   * `models auth paste-api-key` from stdin. A provider dropped from here is
   * logged out on the next `pulumi up`.
   * @default unset: the Claude setup token only
   */
  modelAuth?: ModelAuthOptions;
  /**
   * MagicDNS suffix of your tailnet, e.g. `tail1234.ts.net`. Remote steps
   * connect to `<tailscale hostname>.<tailnetDnsName>`.
   * @default unset: the bare Tailscale hostname (needs MagicDNS on the operator's machine)
   */
  tailnetDnsName?: pulumi.Input<string>;
  /**
   * Overrides the address remote steps connect to (a tailnet name or 100.x
   * address). Never the public IP: the firewall has no inbound rule.
   * @default `<tailscale hostname>.<tailnetDnsName>`
   */
  connectionHost?: pulumi.Input<string>;
  /**
   * The `openclaw` npm version installed on the host (a calendar version, no ranges).
   * @default the version this library release is tested against ("2026.9.6")
   */
  openclawVersion?: pulumi.Input<string>;
  /**
   * Default model, `provider/model`. Changing it rewrites the config and restarts the gateway.
   * @default "anthropic/claude-opus-5"
   */
  model?: pulumi.Input<string>;
  /**
   * Default thinking level (`off`, `minimal`, `low`, `medium`, `high`, `xhigh`, `adaptive`, `max`, `ultra`).
   * @default "high"
   */
  thinkingDefault?: pulumi.Input<string>;
  /**
   * Loopback port of the gateway; Tailscale Serve proxies HTTPS to it.
   * @default 18789
   */
  port?: pulumi.Input<number>;
  /**
   * Change to re-roll the gateway token (any new value, e.g. 2, 3, …): the
   * token is regenerated, written to the host and the gateway restarted. Paired
   * devices keep working; the tokenized URL and the local CLI need the new token.
   * @default 1
   */
  gatewayTokenVersion?: pulumi.Input<number>;
  /**
   * Where the host downloads Node from and the archive checksums it verifies.
   * @default Node 24.21.0 from the official Node.js distribution
   */
  nodeRuntime?: pulumi.Input<NodeRuntimeSettings>;
  /**
   * Restores OpenClaw's state on a server that has never held any (a new or
   * a replaced one) from the newest snapshot of an off-server backup
   * repository: right after OpenClaw is installed, before anything is
   * configured, so the later steps converge on the agent's own state. A
   * server that holds state is never restored over. `OpenClawDeployment`
   * sets this from `backups.offServer`.
   * @default undefined (a new server starts with empty state)
   */
  restoreFrom?: StateRestoreSource;
}

/** Where a new server restores OpenClaw's state from. */
export interface StateRestoreSource {
  /** The repository, as `StateBackups`' `offServer` (the same options: the backups go where the restore reads). */
  offServer: OffServerBackupOptions;
  /**
   * For an SFTP repository: the private half (OpenSSH format, secret) of the
   * key the server logs in with, e.g. `stateBackups.offServerKey.privateKeyOpenssh`.
   * @default undefined (needed with `offServer.sftp`)
   */
  offServerPrivateKey?: pulumi.Input<string>;
}

const RESTORE_KEYS = argKeys<StateRestoreSource>({ offServer: true, offServerPrivateKey: true });

/** `restoreFrom`, checked: the repository's resolved options, with the login key where SFTP needs it. */
function resolveRestoreFrom(source: StateRestoreSource | undefined, v: ArgValidator, path: string) {
  if (source === undefined) return undefined;
  v.knownKeys(path, source, RESTORE_KEYS);
  const offServer = resolveOffServerArgs(source.offServer, v, `${path}.offServer.`);
  if (offServer.sftp && source.offServerPrivateKey === undefined)
    v.add({
      path: `${path}.offServerPrivateKey`,
      problem: "is missing for an SFTP repository",
      expected: "the private half of the key the server logs in to the SFTP server with (StateBackups' offServerKey)",
    });
  return offServer;
}

/**
 * Checks Gateway arguments into `v` and fills in defaults (see
 * `resolveHostArgs` for the contract).
 */
export function resolveGatewayArgs(
  args: Omit<GatewayArgs, "host">,
  v: ArgValidator,
  /** How the caller's user names these arguments, where it differs (e.g. `{ port: "gatewayPort" }`). */
  names: Partial<Record<keyof Omit<GatewayArgs, "host">, string>> = {},
) {
  const p = (k: keyof Omit<GatewayArgs, "host">) => names[k] ?? k;
  const auth = resolveModelAuth(args, v, p("claudeSetupToken"), p("modelAuth"));
  return {
    claudeSetupToken: auth.claudeSetupToken,
    modelApiKeys: auth.apiKeys,
    modelAuthProviders: auth.providers,
    tailnetDnsName:
      args.tailnetDnsName !== undefined
        ? v.check(p("tailnetDnsName"), args.tailnetDnsName, rules.tailnetDnsName)
        : undefined,
    connectionHost:
      args.connectionHost !== undefined
        ? v.check(p("connectionHost"), args.connectionHost, rules.hostAddress)
        : undefined,
    openclawVersion: v.check(
      p("openclawVersion"),
      args.openclawVersion ?? GATEWAY_DEFAULTS.openclawVersion,
      rules.openclawVersion,
    ),
    model: v.check(
      p("model"),
      args.model ?? GATEWAY_DEFAULTS.model,
      auth.providers.length > 0 ? rules.modelWithCredentials(auth.providers) : rules.modelId,
    ),
    thinkingDefault: v.check(
      p("thinkingDefault"),
      args.thinkingDefault ?? GATEWAY_DEFAULTS.thinkingDefault,
      rules.thinkingLevel,
    ),
    port: v.check(p("port"), args.port ?? GATEWAY_DEFAULTS.port, rules.port),
    gatewayTokenVersion: args.gatewayTokenVersion ?? 1,
    restore: resolveRestoreFrom(args.restoreFrom, v, p("restoreFrom")),
    nodeRuntime: v.check(
      p("nodeRuntime"),
      (args.nodeRuntime ?? GATEWAY_DEFAULTS.nodeRuntime) as pulumi.Input<NodeRuntimeSettings>,
      rules.nodeRuntime,
    ),
  };
}

/** The gateway's settings, from its resolved arguments. */
export function gatewaySettings(r: {
  openclawVersion: string;
  model: string;
  thinkingDefault: string;
  port: number;
  nodeRuntime: NodeRuntimeSettings;
  /** Whether a Claude setup token is set (its value travels apart, as a secret). */
  setupToken: boolean;
  /** The providers with an API key in `modelAuth`. */
  apiKeyProviders: readonly rules.ModelAuthProvider[];
  /** Where a new server restores its state from. */
  restore?: OffServerSettings | undefined;
}): GatewaySettings {
  return {
    ...(r.restore ? { restore: r.restore } : {}),
    openclawVersion: r.openclawVersion,
    model: r.model,
    thinkingDefault: r.thinkingDefault,
    port: r.port,
    nodeRuntime: r.nodeRuntime,
    modelAuth: { setupToken: r.setupToken, apiKeys: [...r.apiKeyProviders] },
  };
}

/**
 * The model providers a deployment holds a credential for, in
 * `MODEL_AUTH_PROVIDERS` order: those with an API key, and `anthropic` for the
 * Claude setup token too.
 */
export function credentialProviders(
  setupToken: boolean,
  apiKeyProviders: readonly rules.ModelAuthProvider[],
): rules.ModelAuthProvider[] {
  return rules.MODEL_AUTH_PROVIDERS.filter((p) => apiKeyProviders.includes(p) || (p === "anthropic" && setupToken));
}

/** Which credentials resolved gateway arguments hold, without their values. */
export function modelAuthShape(r: {
  readonly claudeSetupToken?: unknown;
  readonly modelApiKeys: Partial<Record<rules.ModelAuthProvider, unknown>>;
}): { setupToken: boolean; apiKeyProviders: rules.ModelAuthProvider[] } {
  return {
    setupToken: r.claudeSetupToken !== undefined,
    apiKeyProviders: rules.MODEL_AUTH_PROVIDERS.filter((p) => r.modelApiKeys[p] !== undefined),
  };
}

/** What the gateway tells the components that build on it. */
export interface GatewayFacts {
  readonly port: number;
  readonly openclawVersion: string;
  /** The host's Node version. */
  readonly nodeVersion: string;
  /** The model providers the host holds a credential for (`anthropic` for the setup token too). */
  readonly modelProviders: readonly rules.ModelAuthProvider[];
}

export function gatewayFacts(s: GatewaySettings): GatewayFacts {
  return {
    port: s.port,
    openclawVersion: s.openclawVersion,
    nodeVersion: s.nodeRuntime.version,
    modelProviders: credentialProviders(s.modelAuth.setupToken, s.modelAuth.apiKeys),
  };
}
