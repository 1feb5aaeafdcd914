/**
 * Renders `~/.openclaw/openclaw.json` from typed settings. Pure: no Pulumi,
 * no I/O. The same function feeds the remote step, the tests that hand the
 * result to the real `openclaw config validate`, and the offline plan.
 */

/** Everything in `openclaw.json` that the library decides. */
export interface GatewayConfigSettings {
  /** Loopback port the gateway listens on. */
  readonly port: number;
  /** `agents.defaults.model.primary`, e.g. `anthropic/claude-opus-5`. */
  readonly model: string;
  /** `agents.defaults.thinkingDefault`, e.g. `high`. */
  readonly thinkingDefault: string;
  /**
   * Further config sections merged on top by later components (sandbox,
   * Telegram). Keys here win over the gateway's own.
   */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Secret values that end up in the file (never in a plain output). */
export interface GatewayConfigSecrets {
  readonly gatewayToken: string;
}

/** Addresses whose `X-Forwarded-*` headers the gateway trusts: Tailscale Serve on loopback and the tailnet CGNAT range. */
export const TRUSTED_PROXIES = ["127.0.0.1", "100.64.0.0/10"] as const;

/** Renders the config object. Key order is stable so its hash is stable. */
export function renderOpenClawConfig(
  settings: GatewayConfigSettings,
  secrets: GatewayConfigSecrets,
): Record<string, unknown> {
  const base: Record<string, unknown> = {
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
  return settings.extra ? deepMerge(base, settings.extra) : base;
}

/** The file's text: two-space JSON with a trailing newline (JSON is valid JSON5). */
export function renderOpenClawConfigText(settings: GatewayConfigSettings, secrets: GatewayConfigSecrets): string {
  return `${JSON.stringify(renderOpenClawConfig(settings, secrets), null, 2)}\n`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function deepMerge(a: Record<string, unknown>, b: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isPlainObject(prev) && isPlainObject(v) ? deepMerge(prev, v) : v;
  }
  return out;
}
