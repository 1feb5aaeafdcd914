/**
 * The gateway's part of `~/.openclaw/openclaw.json`. Pure: no Pulumi, no I/O.
 *
 * Each component owns a part of the config and applies it on the host with
 * OpenClaw's own `openclaw config patch --stdin`, which validates (schema and
 * model ids) before writing and merges with the other parts. The whole file a
 * deployment produces is `mergeConfigPatches(...)` of the parts: the plan and
 * the real-OpenClaw tests use exactly that.
 */

import { isRecord } from "../validate/values.js";

/** Everything in the gateway's part of `openclaw.json` that the library decides. */
export interface GatewayConfigSettings {
  /** Loopback port the gateway listens on. */
  readonly port: number;
  /** `agents.defaults.model.primary`, e.g. `anthropic/claude-opus-5`. */
  readonly model: string;
  /** `agents.defaults.thinkingDefault`, e.g. `high`. */
  readonly thinkingDefault: string;
}

/** Secret values that end up in the file (never in a plain output). */
export interface GatewayConfigSecrets {
  readonly gatewayToken: string;
}

/**
 * Addresses whose `X-Forwarded-*` headers the gateway trusts: Tailscale Serve on loopback and the tailnet CGNAT range.
 */
export const TRUSTED_PROXIES = ["127.0.0.1", "100.64.0.0/10"] as const;

export type ConfigPatch = Record<string, unknown>;

/** The gateway's config patch. Key order is stable so its hash is stable. */
export function renderGatewayConfig(settings: GatewayConfigSettings, secrets: GatewayConfigSecrets): ConfigPatch {
  return {
    gateway: {
      mode: "local",
      port: settings.port,
      // Never "lan"/"custom": the only way in is Tailscale Serve, which
      // proxies to loopback.
      bind: "loopback",
      auth: { mode: "token", token: secrets.gatewayToken, allowTailscale: true },
      tailscale: { mode: "serve" },
      trustedProxies: [...TRUSTED_PROXIES],
      // Insecure HTTP auth stays off: the retired `allowInsecureAuth` key is
      // not written (the pinned OpenClaw rejects it) and its default is off.
      controlUi: { enabled: true },
    },
    agents: {
      defaults: {
        model: { primary: settings.model },
        thinkingDefault: settings.thinkingDefault,
      },
    },
    // Elevated tools run outside the sandbox; their default (true) would let
    // an agent escape it.
    tools: { elevated: { enabled: false } },
  };
}

/**
 * Merges config patches the way `openclaw config patch` applies them one after
 * another: objects merge key by key, anything else (arrays included) replaces.
 */
export function mergeConfigPatches(...patches: readonly ConfigPatch[]): ConfigPatch {
  const merge = (a: ConfigPatch, b: ConfigPatch): ConfigPatch => {
    const out: ConfigPatch = { ...a };
    for (const [k, v] of Object.entries(b)) {
      const prev = out[k];
      out[k] = isRecord(prev) && isRecord(v) ? merge(prev, v) : v;
    }
    return out;
  };
  return patches.reduce<ConfigPatch>((acc, p) => merge(acc, p), {});
}

/** Serialises a patch or a whole config: two-space JSON, trailing newline. */
export function configText(config: ConfigPatch): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
