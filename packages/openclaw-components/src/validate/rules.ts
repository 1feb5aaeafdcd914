/**
 * Pure checks on plain values. A rule returns `undefined` when the value is
 * fine, else the problem and the expected form. Rules never put a value into
 * the message themselves: the caller decides whether the value may be shown
 * (it never shows a secret).
 */
export interface RuleFailure {
  readonly problem: string;
  readonly expected: string;
}
export type Rule<T> = (value: T) => RuleFailure | undefined;

const RFC1123_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export const serverName: Rule<string> = (v) =>
  RFC1123_LABEL.test(v)
    ? undefined
    : {
        problem: v.length > 63 ? `is ${v.length} characters long` : "is not an RFC 1123 label",
        expected:
          "1-63 lowercase letters, digits or '-', starting and ending with a letter or digit (e.g. \"openclaw-vps\")",
      };

/** Hetzner Cloud locations that accept new servers. */
export const HETZNER_LOCATIONS = ["fsn1", "nbg1", "hel1", "ash", "hil", "sin"] as const;

export const location: Rule<string> = (v) =>
  (HETZNER_LOCATIONS as readonly string[]).includes(v)
    ? undefined
    : { problem: "is not a known Hetzner location", expected: `one of ${HETZNER_LOCATIONS.join(", ")}` };

/** Hetzner server types that can be ordered, with their CPU architecture. */
export const HETZNER_SERVER_TYPES: Readonly<Record<string, "x86" | "arm">> = {
  cx23: "x86",
  cx33: "x86",
  cx43: "x86",
  cx53: "x86",
  cpx11: "x86",
  cpx21: "x86",
  cpx31: "x86",
  cpx41: "x86",
  cpx51: "x86",
  cpx12: "x86",
  cpx22: "x86",
  cpx32: "x86",
  cpx42: "x86",
  cpx52: "x86",
  cpx62: "x86",
  ccx13: "x86",
  ccx23: "x86",
  ccx33: "x86",
  ccx43: "x86",
  ccx53: "x86",
  ccx63: "x86",
  cax11: "arm",
  cax21: "arm",
  cax31: "arm",
  cax41: "arm",
};

/** Types Hetzner no longer sells, with the type that replaced each. */
const RETIRED_SERVER_TYPES: Readonly<Record<string, string>> = {
  cx11: "cx23",
  cx21: "cx23",
  cx22: "cx23",
  cx31: "cx33",
  cx32: "cx33",
  cx41: "cx43",
  cx42: "cx43",
  cx51: "cx53",
  cx52: "cx53",
};

export const serverType: Rule<string> = (v) => {
  if (v in HETZNER_SERVER_TYPES) return undefined;
  const successor = RETIRED_SERVER_TYPES[v];
  return successor
    ? { problem: "can no longer be ordered from Hetzner", expected: `a current type such as "${successor}"` }
    : {
        problem: "is not a known Hetzner server type",
        expected: `one of ${Object.keys(HETZNER_SERVER_TYPES).join(", ")}`,
      };
};

export const port: Rule<number> = (v) =>
  Number.isInteger(v) && v >= 1024 && v <= 65535
    ? undefined
    : { problem: "is not an unprivileged TCP port", expected: "an integer from 1024 to 65535 (default 18789)" };

const CALVER = /^20\d{2}\.(?:[1-9]|1[0-2])\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$/;

export const openclawVersion: Rule<string> = (v) =>
  CALVER.test(v)
    ? undefined
    : {
        problem: "is not an OpenClaw release version",
        expected: 'a calendar version YYYY.M.N such as "2026.9.6" (no range, no "latest")',
      };

const MODEL_ID = /^[a-z0-9][a-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9._:-]*$/;
// OpenRouter's ids carry the upstream vendor: `openrouter/anthropic/claude-sonnet-4-6`.
const OPENROUTER_MODEL_ID = /^openrouter\/[A-Za-z0-9][A-Za-z0-9._:-]*(?:\/[A-Za-z0-9][A-Za-z0-9._:-]*)?$/;

/**
 * Models the library documents and its tests check against the pinned
 * OpenClaw's own `config patch` (other `provider/model` ids are passed
 * through; OpenClaw validates them on the host).
 */
export const KNOWN_MODELS = [
  "anthropic/claude-opus-5",
  "anthropic/claude-opus-4-6",
  "anthropic/claude-sonnet-4-6",
  "anthropic/claude-haiku-4-5",
] as const;

/** Ids the pinned OpenClaw rejects as unknown (the template's old defaults among them). */
export const RETIRED_MODELS = ["anthropic/claude-opus-4-5", "anthropic/claude-sonnet-4-5"] as const;

/**
 * Models of the other providers the library can authenticate, each accepted
 * by the pinned OpenClaw's `config patch` (the real-OpenClaw tier checks it).
 * OpenRouter's are passed through unchecked by OpenClaw itself: it resolves
 * them against openrouter.ai's live list, and accepts any id offline.
 */
export const KNOWN_PROVIDER_MODELS = {
  openai: ["openai/gpt-5.5", "openai/gpt-5.4", "openai/gpt-5.4-mini", "openai/gpt-6-astra"],
  openrouter: ["openrouter/auto", "openrouter/anthropic/claude-sonnet-4-6"],
} as const;

/** The model providers the library stores a credential for, and how. */
export const MODEL_AUTH_PROVIDERS = ["anthropic", "openai", "openrouter"] as const;
export type ModelAuthProvider = (typeof MODEL_AUTH_PROVIDERS)[number];

/**
 * The model, for a deployment whose credentials are for `authenticated`:
 * its provider must be one of them, or every request would fail on the host.
 */
export function modelWithCredentials(authenticated: readonly string[]): Rule<string> {
  return (v) => {
    const shape = modelId(v);
    if (shape) return shape;
    const provider = v.slice(0, v.indexOf("/"));
    if (authenticated.includes(provider)) return undefined;
    const known = (MODEL_AUTH_PROVIDERS as readonly string[]).includes(provider);
    const problem = known
      ? `is a model of "${provider}", for which no credential is set`
      : `is a model of "${provider}", a provider the library stores no credential for`;
    if (authenticated.length === 0)
      return { problem, expected: "claudeSetupToken, or an API key in modelAuth, for the model's provider" };
    const withCredential = authenticated.map((p) => `"${p}"`).join(" or ");
    const toSet =
      provider === "anthropic" ? "claudeSetupToken or modelAuth.anthropic.apiKey" : `modelAuth.${provider}.apiKey`;
    return {
      problem,
      expected: `a model of ${withCredential} (the providers with a credential)${known ? `, or set ${toSet}` : ""}`,
    };
  };
}

const API_KEY_FORMS: Record<ModelAuthProvider, { name: string; re: RegExp; form: string }> = {
  anthropic: {
    name: "an Anthropic",
    re: /^sk-ant-api\d\d-[A-Za-z0-9_-]{20,}$/,
    form: '"sk-ant-api03-…" from console.anthropic.com',
  },
  // Project, service-account and legacy keys; Anthropic's and OpenRouter's start with sk- too.
  openai: {
    name: "an OpenAI",
    re: /^sk-(?!ant-|or-)[A-Za-z0-9_-]{20,}$/,
    form: '"sk-proj-…" (or "sk-…") from platform.openai.com',
  },
  openrouter: {
    name: "an OpenRouter",
    re: /^sk-or-v\d+-[A-Za-z0-9_-]{20,}$/,
    form: '"sk-or-v1-…" from openrouter.ai/keys',
  },
};

/** A provider's API key: one token of its own form (a pasted space or line break would split the key). */
export function apiKeyOf(provider: ModelAuthProvider): Rule<string> {
  const { name, re, form } = API_KEY_FORMS[provider];
  return (v) => {
    if (re.test(v) && v.length <= 512) return undefined;
    if (provider === "anthropic" && v.startsWith("sk-ant-oat"))
      return {
        problem: "is a Claude setup token, not an API key",
        expected: `claudeSetupToken for it, or an API key ${form}`,
      };
    return {
      problem: `is not ${name} API key`,
      expected: `${form}: one token, at most 512 characters`,
    };
  };
}

export const modelId: Rule<string> = (v) => {
  if (!MODEL_ID.test(v) && !OPENROUTER_MODEL_ID.test(v))
    return {
      problem: "is not a model id",
      expected:
        'the form "provider/model", e.g. "anthropic/claude-opus-5" (OpenRouter\'s: "openrouter/<vendor>/<model>")',
    };
  if ((RETIRED_MODELS as readonly string[]).includes(v)) {
    return {
      problem: "is no longer accepted by the pinned OpenClaw",
      expected: `a current model such as ${KNOWN_MODELS.map((m) => `"${m}"`).join(", ")}`,
    };
  }
  return undefined;
};

/** Thinking levels the pinned OpenClaw accepts for `agents.defaults.thinkingDefault`. */
export const THINKING_LEVELS = [
  "off",
  "minimal",
  "low",
  "medium",
  "high",
  "xhigh",
  "adaptive",
  "max",
  "ultra",
] as const;

export const thinkingLevel: Rule<string> = (v) =>
  (THINKING_LEVELS as readonly string[]).includes(v)
    ? undefined
    : { problem: "is not a thinking level", expected: `one of ${THINKING_LEVELS.join(", ")}` };

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

function isDnsName(v: string): boolean {
  const name = v.endsWith(".") ? v.slice(0, -1) : v;
  return name.length > 0 && name.length <= 253 && name.split(".").every((l) => DNS_LABEL.test(l));
}

export const tailnetDnsName: Rule<string> = (v) =>
  isDnsName(v) && v.includes(".") && !/^https?:/.test(v)
    ? undefined
    : {
        problem: "is not a tailnet DNS name",
        expected: 'the MagicDNS suffix of your tailnet, e.g. "tail1234.ts.net" (no scheme, no host part)',
      };

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export const hostAddress: Rule<string> = (v) =>
  isDnsName(v) || IPV4.test(v) || (/^[0-9a-f:]+$/i.test(v) && v.includes(":"))
    ? undefined
    : {
        problem: "is neither a host name nor an IP address",
        expected: 'a tailnet host name or address, e.g. "openclaw-vps.tail1234.ts.net" or "100.101.102.103"',
      };

/**
 * A Tailscale auth key (`tskey-auth-…`), or an OAuth client secret with its
 * key parameters (`tskey-client-…?ephemeral=false&preauthorized=true`). A key
 * of another shape (a pasted URL, a line with the key and more) is refused
 * here: at the server it would cost the whole first-step dial budget.
 */
export const tailscaleAuthKey: Rule<string> = (v) =>
  /^tskey-[A-Za-z0-9-]+(\?[A-Za-z0-9=&_.-]+)?$/.test(v)
    ? undefined
    : {
        problem: "is not a Tailscale auth key",
        expected:
          'a key from the admin console\'s Keys page: "tskey-auth-…" (or an OAuth client secret "tskey-client-…")',
      };

/** A Hetzner image: its name (`ubuntu-24.04`) or a snapshot's numeric id. */
export const hetznerImage: Rule<string> = (v) =>
  typeof v === "string" && (/^[a-z0-9]([a-z0-9.-]{0,62}[a-z0-9])?$/.test(v) || /^\d{1,12}$/.test(v))
    ? undefined
    : {
        problem: "is not a Hetzner image name or id",
        expected: 'an image name such as "ubuntu-24.04", or a snapshot id',
      };

/** Hetzner label keys and values (a subset of Kubernetes label syntax). */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

export const labels: Rule<Record<string, string>> = (v) => {
  for (const [k, val] of Object.entries(v)) {
    if (!LABEL_KEY.test(k))
      return {
        problem: `has an invalid key "${k}"`,
        expected: "keys of letters, digits, '-', '_', '.', at most 63 characters, optionally with a DNS prefix and '/'",
      };
    if (typeof val !== "string" || !LABEL_VALUE.test(val))
      return {
        problem: `has an invalid value for "${k}"`,
        expected: "values of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
      };
  }
  return undefined;
};

/** Anthropic setup tokens from `claude setup-token`; checked without ever showing the value. */
export const setupToken: Rule<string> = (v) =>
  // One token of URL-safe characters: a pasted line break or space would
  // carry the rest of the paste into OpenClaw's config patch.
  /^sk-ant-oat01-[A-Za-z0-9_-]+$/.test(v) && v.length >= 80
    ? undefined
    : {
        problem: "is not an Anthropic setup token",
        expected: 'the output of `claude setup-token`: "sk-ant-oat01-…", at least 80 characters',
      };

/** `nodeRuntime`: where the host gets Node from. Every part reaches a root shell step, so each has a strict form. */
export const nodeRuntime: Rule<{ version?: unknown; distBaseUrl?: unknown; sha256?: unknown }> = (v) => {
  if (!v || typeof v !== "object" || Array.isArray(v))
    return { problem: "is not an object", expected: "{ version, distBaseUrl, sha256: { x64, arm64 } }" };
  const unknown = Object.keys(v).filter((k) => !["version", "distBaseUrl", "sha256"].includes(k));
  if (unknown.length > 0)
    return { problem: `has unknown key(s) ${unknown.join(", ")}`, expected: "only version, distBaseUrl and sha256" };
  const version = typeof v.version === "string" ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,4})$/.exec(v.version) : null;
  if (!version)
    return {
      problem: "has a version that is not MAJOR.MINOR.PATCH",
      expected: 'version such as "24.21.0" (no "v", no range)',
    };
  const [major, minor] = [Number(version[1]), Number(version[2])];
  // The pinned OpenClaw's engines field: >=24.16 <25 || >=26.1.
  if (!((major === 24 && minor >= 16) || major > 26 || (major === 26 && minor >= 1))) {
    return {
      problem: "has a Node version OpenClaw cannot run on",
      expected: "Node >= 24.16 and < 25, or >= 26.1 (OpenClaw's engines range)",
    };
  }
  let url: URL | undefined;
  try {
    url = typeof v.distBaseUrl === "string" ? new URL(v.distBaseUrl) : undefined;
  } catch {
    url = undefined;
  }
  if (
    !url ||
    !/^https?:$/.test(url.protocol) ||
    typeof v.distBaseUrl !== "string" ||
    !/^https?:\/\/[A-Za-z0-9.:[\]-]+(\/[A-Za-z0-9._~%/-]*)?$/.test(v.distBaseUrl) ||
    url.username !== "" ||
    url.password !== ""
  ) {
    return {
      problem: "has a distBaseUrl that is not a plain http(s) URL",
      expected: 'distBaseUrl such as "https://nodejs.org/dist" (no credentials, query, spaces or quotes)',
    };
  }
  const sums = v.sha256 as { x64?: unknown; arm64?: unknown } | undefined;
  const hex = (x: unknown) => typeof x === "string" && /^[0-9a-f]{64}$/.test(x);
  if (
    !sums ||
    typeof sums !== "object" ||
    Object.keys(sums).some((k) => k !== "x64" && k !== "arm64") ||
    !hex(sums.x64) ||
    !hex(sums.arm64)
  ) {
    return {
      problem: "has a sha256 that is not { x64, arm64 } of 64 lowercase hex digits each",
      expected: "the archives' SHA-256 sums from SHASUMS256.txt",
    };
  }
  return undefined;
};
