/**
 * Real-OpenClaw tier, model credentials: the shipped configure-gateway step
 * stores a Claude setup token and provider API keys with the pinned
 * OpenClaw's own `models auth` commands, converges, and logs out each
 * credential the deployment drops; and the models the library names for
 * OpenAI and OpenRouter pass the pinned OpenClaw's `config patch`.
 *
 * Every OpenClaw process here runs in a network namespace of its own with no
 * link up: OpenClaw resolves OpenRouter ids against openrouter.ai's live list
 * (it accepts any id when that fails), and `paste-api-key` asks a local
 * gateway to reload. Nothing may leave this machine.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gatewaySettings } from "../../src/gateway/args.js";
import { configText, renderGatewayConfig } from "../../src/gateway/openclaw-config.js";
import { renderGatewaySteps } from "../../src/gateway/steps.js";
import { KNOWN_PROVIDER_MODELS, modelWithCredentials, type ModelAuthProvider } from "../../src/validate/rules.js";
import { DEFAULT_NODE_RUNTIME } from "../../src/versions.js";
import { SENTINELS } from "../fixtures.js";
import { DEFAULT_GATEWAY, GATEWAY_TOKEN } from "./combinations.js";
import {
  isolate,
  OFFLINE,
  parseJson,
  requireOpenclaw,
  runProcess,
  runStepOffline,
  type Isolation,
  type RunResult,
  describeRun,
  lastLine,
} from "./harness.js";

const TIER = "the real-OpenClaw tier (model credentials)";
const prepared = requireOpenclaw(TIER);
const binDir = prepared.ok ? prepared.binDir : "";

const ANTHROPIC_KEY = `sk-ant-api03-SENTINELrealTier${"a".repeat(80)}`;
const ALL_KEYS = [SENTINELS.claudeSetupToken, SENTINELS.openaiApiKey, SENTINELS.openrouterApiKey, ANTHROPIC_KEY];

interface Credentials {
  readonly setupToken?: string;
  readonly apiKeys: Partial<Record<ModelAuthProvider, string>>;
}

const isolations: Isolation[] = [];

function offline(iso: Isolation, args: readonly string[], input = ""): Promise<RunResult> {
  return runProcess("unshare", [...OFFLINE, "--", "openclaw", ...args], { env: iso.env, input, timeoutMs: 120_000 });
}

describe.skipIf(!prepared.ok)(`${TIER}: OpenClaw ${prepared.ok ? prepared.version : ""}`, () => {
  afterAll(() => {
    for (const iso of isolations) iso.cleanup();
  }, 60_000);

  /** The shipped configure-gateway step, as a host runs it, on `iso` (its ~/.openclaw is the state directory). */
  async function configure(iso: Isolation, c: Credentials, label: string): Promise<RunResult> {
    const apiKeyProviders = (Object.keys(c.apiKeys) as ModelAuthProvider[]).sort();
    const settings = gatewaySettings({
      ...DEFAULT_GATEWAY,
      openclawVersion: "2026.9.6",
      nodeRuntime: DEFAULT_NODE_RUNTIME,
      setupToken: c.setupToken !== undefined,
      apiKeyProviders,
    });
    const step = renderGatewaySteps(settings, {
      gatewayToken: GATEWAY_TOKEN,
      claudeSetupToken: c.setupToken ?? "",
      modelApiKeys: c.apiKeys,
    }).configureGateway;
    const run = await runStepOffline(iso, step, label);
    for (const text of [run.stdout, run.stderr]) for (const k of ALL_KEYS) expect(text).not.toContain(k);
    return run;
  }
  async function profiles(iso: Isolation): Promise<Record<string, string>> {
    const r = await offline(iso, ["models", "auth", "list", "--json"]);
    expect(r.status, describeRun(r)).toBe(0);
    const json = parseJson<{ profiles: Array<{ id: string; type: string }> }>(r);
    return Object.fromEntries(json.profiles.map((p) => [p.id, p.type]));
  }

  it("stores the setup token and the API keys, converges, and logs out a dropped key and a swapped subscription", async () => {
    const iso = isolate(binDir, "model-auth");
    isolations.push(iso);
    iso.writeConfig({});
    const keys = { openai: SENTINELS.openaiApiKey, openrouter: SENTINELS.openrouterApiKey };

    const first = await configure(iso, { setupToken: SENTINELS.claudeSetupToken, apiKeys: keys }, "token and two keys");
    expect(first.status, describeRun(first)).toBe(0);
    expect(lastLine(first)).toBe("changed");
    expect(await profiles(iso)).toEqual({
      "anthropic:manual": "token",
      "openai:manual": "api_key",
      "openrouter:manual": "api_key",
    });
    // The keys live in OpenClaw's auth store, not in openclaw.json; every store stays private.
    const config = readFileSync(iso.configPath, "utf8");
    for (const k of ALL_KEYS) expect(config).not.toContain(k);
    expect(statSync(iso.configPath).mode & 0o777).toBe(0o600);
    expect(statSync(join(iso.stateDir, "state", "openclaw.sqlite")).mode & 0o077).toBe(0);

    const again = await configure(iso, { setupToken: SENTINELS.claudeSetupToken, apiKeys: keys }, "again");
    expect(again.status, describeRun(again)).toBe(0);
    expect(lastLine(again)).toBe("unchanged");

    // OpenRouter dropped, and the subscription swapped for an Anthropic API key (which
    // the pinned OpenClaw refuses over a token profile until it is logged out).
    const swapped = await configure(
      iso,
      { apiKeys: { anthropic: ANTHROPIC_KEY, openai: SENTINELS.openaiApiKey } },
      "key dropped, token swapped",
    );
    expect(swapped.status, describeRun(swapped)).toBe(0);
    expect(lastLine(swapped)).toBe("changed");
    expect(await profiles(iso)).toEqual({ "anthropic:manual": "api_key", "openai:manual": "api_key" });
    const settled = await configure(
      iso,
      { apiKeys: { anthropic: ANTHROPIC_KEY, openai: SENTINELS.openaiApiKey } },
      "settled",
    );
    expect(lastLine(settled)).toBe("unchanged");

    const v = await offline(iso, ["config", "validate", "--json"]);
    expect(parseJson<{ valid: boolean }>(v).valid, describeRun(v)).toBe(true);
  }, 600_000);

  describe("the models the library names for each provider", () => {
    async function dryRun(model: string, i: number) {
      const iso = isolate(binDir, `provider-model-${i}`);
      isolations.push(iso);
      iso.writeConfig({});
      const patch = renderGatewayConfig({ ...DEFAULT_GATEWAY, model }, { gatewayToken: GATEWAY_TOKEN });
      const run = await offline(iso, ["config", "patch", "--stdin", "--dry-run", "--json"], configText(patch));
      return { run, json: parseJson<{ ok: boolean; errors?: Array<{ kind: string; message: string }> }>(run) };
    }
    const known = [...KNOWN_PROVIDER_MODELS.openai, ...KNOWN_PROVIDER_MODELS.openrouter];

    it.each(known.map((m, i) => [m, i] as const))(
      "%s: accepted by `config patch --dry-run` and by the library with that provider's key",
      async (model, i) => {
        const r = await dryRun(model, i);
        expect(r.run.status, describeRun(r.run)).toBe(0);
        expect(r.json.ok).toBe(true);
        const provider = model.split("/")[0]!;
        expect(modelWithCredentials([provider])(model)).toBeUndefined();
        expect(modelWithCredentials(["anthropic"])(model), "refused without its provider's key").toBeDefined();
      },
      120_000,
    );

    it("an OpenAI id the pinned OpenClaw does not know is refused there as an unknown model", async () => {
      const r = await dryRun("openai/gpt-9-nonexistent", 99);
      expect(r.run.status, describeRun(r.run)).toBe(1);
      expect((r.json.errors ?? []).map((e) => e.kind)).toEqual(["model"]);
    }, 120_000);
  });
});
