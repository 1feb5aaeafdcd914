/**
 * Real-OpenClaw tier, part 1: the `openclaw.json` the library renders, handed
 * to the pinned `openclaw` CLI (offline; see harness.ts for the isolation).
 *
 *  - every combination passes `config validate --json`, and the one with
 *    every part also the stronger `config patch --stdin --dry-run --json`
 *    (schema + model ids) against an empty config. A dry run checks the same
 *    schema as validate (same issues, same wording) plus the references it
 *    can resolve, and the only one a rendered config holds is its model: the
 *    models block dry-runs each of KNOWN_MODELS, and every combination names
 *    one of them. A dry run costs about 7 CPU-seconds (it builds every
 *    plugin's schema), validate about 1.5;
 *  - the parts applied one after another with real `config patch --stdin`
 *    add up to a valid file holding every rendered value;
 *  - KNOWN_MODELS are all accepted, RETIRED_MODELS all rejected (by OpenClaw
 *    and by the library's own `modelId` rule);
 *  - THINKING_LEVELS is exactly the set OpenClaw's schema allows.
 */
import { mkdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveAgentsArgs, type AgentOptions } from "../../src/agents/args.js";
import { resolveOpenClawConfigArgs, type OpenClawConfigOptions } from "../../src/config-patch/args.js";
import { renderApplyConfigStep } from "../../src/config-patch/steps.js";
import { configText, mergeConfigPatches, renderGatewayConfig } from "../../src/gateway/openclaw-config.js";
import { ArgValidator } from "../../src/validate/validator.js";
import { OPENCLAW_CONFIG, SENTINELS } from "../fixtures.js";
import { SANDBOX_REMOVAL } from "../../src/sandbox/steps.js";
import { TELEGRAM_REMOVAL } from "../../src/telegram/steps.js";
import { KNOWN_MODELS, modelId, RETIRED_MODELS, THINKING_LEVELS } from "../../src/validate/rules.js";
import { COMBINATIONS, DEFAULT_GATEWAY, fullCombination, GATEWAY_TOKEN, renderCombination } from "./combinations.js";
import {
  at,
  isolate,
  leaves,
  mapLimit,
  openclaw,
  parseJson,
  phase,
  requireOpenclaw,
  runProcess,
  type Isolation,
  type RunResult,
  describeRun,
  lastLine,
} from "./harness.js";

const TIER = "the real-OpenClaw tier (config)";
const prepared = requireOpenclaw(TIER);
const binDir = prepared.ok ? prepared.binDir : "";

interface ValidateJson {
  valid: boolean;
  issues?: Array<{ path: string; message: string; allowedValues?: string[] }>;
  warnings?: unknown[];
}
interface PatchJson {
  ok: boolean;
  checks?: { schema?: boolean; resolvability?: boolean };
  refsChecked?: number;
  errors?: Array<{ kind: string; message: string }>;
}

const isolations: Isolation[] = [];
function fresh(label: string, config?: Record<string, unknown>): Isolation {
  const iso = isolate(binDir, label);
  isolations.push(iso);
  if (config) iso.writeConfig(config);
  return iso;
}

/** `config validate --json` on `config` (plus the test-only keys). */
async function validate(
  label: string,
  config: Record<string, unknown>,
): Promise<{ run: RunResult; json: ValidateJson }> {
  const iso = fresh(label, config);
  const run = await openclaw(iso, ["config", "validate", "--json"]);
  return { run, json: parseJson<ValidateJson>(run) };
}

/** `config patch --stdin --dry-run --json` of `patch` against an empty config (only the test-only keys). */
async function dryRun(label: string, patch: Record<string, unknown>): Promise<{ run: RunResult; json: PatchJson }> {
  const iso = fresh(label, {});
  const run = await openclaw(iso, ["config", "patch", "--stdin", "--dry-run", "--json"], { input: configText(patch) });
  const after = iso.readConfig();
  // A dry run must not write.
  expect(Object.keys(after).sort()).toEqual(["logging", "models"]);
  return { run, json: parseJson<PatchJson>(run) };
}

describe.skipIf(!prepared.ok)(`${TIER}: OpenClaw ${prepared.ok ? prepared.version : ""}`, () => {
  afterAll(() => {
    for (const iso of isolations) iso.cleanup();
  }, 60_000);

  describe("every combination's merged config", () => {
    const cases = COMBINATIONS.map((c) => ({ c, rendered: renderCombination(c) }));
    /** The combination holding every part any other one has. */
    const richest = cases.reduce((a, b) => (b.rendered.parts.length > a.rendered.parts.length ? b : a));
    const validated = new Map<string, Awaited<ReturnType<typeof validate>>>();
    let richestDryRun: Awaited<ReturnType<typeof dryRun>>;

    beforeAll(async () => {
      const started = Date.now();
      const jobs = [
        ...cases.map(({ c, rendered }, i) => async () => {
          validated.set(c.name, await validate(`validate-${i}`, rendered.config));
        }),
        async () => {
          richestDryRun = await dryRun("dryrun-richest", richest.rendered.config);
        },
      ];
      await mapLimit(jobs, 2, (job) => job());
      phase("validate of combinations + dry-run of the richest", Date.now() - started, `${cases.length} combinations`);
    }, 300_000);

    it.each(cases.map((x) => [x.c.name, x] as const))(
      "%s: config validate --json says valid, no issues",
      (_name, { c }) => {
        const r = validated.get(c.name)!;
        expect(r.run.status, describeRun(r.run)).toBe(0);
        expect(r.json.valid).toBe(true);
        expect(r.json.issues ?? []).toEqual([]);
        expect(r.json.warnings ?? []).toEqual([]);
      },
    );

    it.each(cases.map((x) => [x.c.name, x] as const))(
      "%s: names a model the models block dry-runs (KNOWN_MODELS)",
      (_name, { c }) => {
        expect(KNOWN_MODELS as readonly string[]).toContain(c.gateway.model);
      },
    );

    it(`the richest combination (${richest.c.name}): config patch --dry-run against {} accepts it (schema + model ids), and the model is the only reference it resolves`, () => {
      expect(richest.rendered.parts.map((p) => p.name)).toEqual([
        "gateway",
        "sandbox",
        "telegram",
        "discord",
        "slack",
        "whatsapp",
      ]);
      const r = richestDryRun;
      expect(r.run.status, describeRun(r.run)).toBe(0);
      expect(r.json.ok).toBe(true);
      expect(r.json.errors ?? []).toEqual([]);
      expect(r.json.checks?.schema).toBe(true);
      expect(r.json.checks?.resolvability).toBe(true);
      expect(r.json.refsChecked, "what the dry run resolves beyond the schema").toBe(1);
    });
  });

  it("the full combination's parts applied in turn with real `config patch --stdin` add up to a valid file with every rendered value", async () => {
    const { parts, config } = renderCombination(fullCombination());
    expect(parts.map((p) => p.name)).toEqual(["gateway", "sandbox", "telegram"]);
    const iso = fresh("sequential", {});
    const started = Date.now();
    for (const part of parts) {
      const r = await openclaw(iso, ["config", "patch", "--stdin"], { input: configText(part.patch) });
      expect(r.status, `${part.name}: ${describeRun(r)}`).toBe(0);
    }
    const v = await openclaw(iso, ["config", "validate", "--json"]);
    phase("sequential config patch (3 parts) + validate", Date.now() - started);
    expect(v.status, describeRun(v)).toBe(0);
    expect(parseJson<ValidateJson>(v).valid).toBe(true);

    const written = iso.readConfig();
    const rendered = leaves(config);
    expect(rendered.length).toBeGreaterThan(15);
    const mismatches = rendered.filter(([path, value]) => JSON.stringify(at(written, path)) !== JSON.stringify(value));
    expect(mismatches.map(([path, value]) => ({ path, rendered: value, written: at(written, path) }))).toEqual([]);
    // The secret values are in the file (the library's patches are the only source).
    expect(at(written, "gateway.auth.token")).toBe(GATEWAY_TOKEN);
    const added = Object.keys(written).filter((k) => !(k in config) && k !== "logging" && k !== "models");
    console.log(
      `[openclaw tier] keys OpenClaw added itself: ${added.join(", ") || "(none)"}; file mode ${(statSync(iso.configPath).mode & 0o777).toString(8)}`,
    );
  }, 120_000);

  it("`config validate` rejects what the library must never write: the retired allowInsecureAuth key and an unknown thinking level (whose allowed values are THINKING_LEVELS)", async () => {
    const base = renderCombination(fullCombination()).config;
    const gateway = base.gateway as Record<string, Record<string, unknown>>;
    const bad = {
      ...base,
      gateway: { ...gateway, controlUi: { ...gateway.controlUi, allowInsecureAuth: false } },
      agents: {
        defaults: {
          ...(base.agents as Record<string, Record<string, unknown>>).defaults,
          thinkingDefault: "pondering",
        },
      },
    };
    const { run, json } = await validate("negative", bad);
    expect(run.status).toBe(1);
    expect(json.valid).toBe(false);
    const issues = json.issues ?? [];
    expect(issues.map((i) => i.path).sort()).toEqual(["agents.defaults.thinkingDefault", "gateway.controlUi"]);
    expect(issues.find((i) => i.path === "gateway.controlUi")?.message).toContain("allowInsecureAuth");
    const allowed = issues.find((i) => i.path === "agents.defaults.thinkingDefault")?.allowedValues;
    expect([...(allowed ?? [])].sort()).toEqual([...THINKING_LEVELS].sort());
  }, 60_000);

  describe("models", () => {
    const known = KNOWN_MODELS.map((m) => ["known", m] as const);
    const retired = RETIRED_MODELS.map((m) => ["retired", m] as const);
    const results = new Map<string, Awaited<ReturnType<typeof dryRun>>>();

    beforeAll(async () => {
      const started = Date.now();
      await mapLimit([...known, ...retired], 2, async ([, m], i) => {
        results.set(
          m,
          await dryRun(
            `model-${i}`,
            renderGatewayConfig({ ...DEFAULT_GATEWAY, model: m }, { gatewayToken: GATEWAY_TOKEN }),
          ),
        );
      });
      phase("model dry-runs", Date.now() - started, `${known.length} known, ${retired.length} retired`);
    }, 300_000);

    it.each(known)("%s model %s: accepted by `config patch --dry-run` and by the library's modelId rule", (_k, m) => {
      const r = results.get(m)!;
      expect(r.run.status, describeRun(r.run)).toBe(0);
      expect(r.json.ok).toBe(true);
      expect(r.json.errors ?? []).toEqual([]);
      expect(modelId(m)).toBeUndefined();
    });

    it.each(retired)(
      "%s model %s: rejected by `config patch --dry-run` as an unknown model and by the library's modelId rule",
      (_k, m) => {
        const r = results.get(m)!;
        expect(r.run.status, describeRun(r.run)).toBe(1);
        expect(r.json.ok).toBe(false);
        const errors = r.json.errors ?? [];
        expect(errors.map((e) => e.kind)).toEqual(["model"]);
        expect(errors[0]!.message).toContain(`Unknown model: ${m}`);
        expect(modelId(m), "the library's modelId rule must reject it too").toBeDefined();
      },
    );
  });

  describe("switching a part off: the removal step's patch", () => {
    const removals = [
      ["sandbox", SANDBOX_REMOVAL.render({ port: 18789 }, {}).removeSandbox, ["agents", "defaults", "sandbox"]],
      ["telegram", TELEGRAM_REMOVAL.render({ port: 18789 }, {}).removeTelegram, ["channels", "telegram"]],
    ] as const;

    it.each(removals)(
      "%s: `config patch` deletes exactly that part, and the rest still validates",
      async (_name, step, path) => {
        const full = renderCombination(fullCombination("http://127.0.0.1:9")).config;
        const iso = fresh(`remove-${path.join("-")}`, full);
        const patch = step.environment.OPENCLAW_REMOVE_CONFIG!;
        const r = await openclaw(iso, ["config", "patch", "--stdin"], { input: `${patch}\n` });
        expect(r.status, describeRun(r)).toBe(0);
        const after = iso.readConfig();
        const at = (o: unknown, keys: readonly string[]) =>
          keys.reduce<unknown>((x, k) => (x as Record<string, unknown> | undefined)?.[k], o);
        expect(at(full, path), "the part was there").toBeDefined();
        expect(at(after, path), "and is gone").toBeUndefined();
        expect(at(after, ["gateway", "auth", "mode"])).toBe(at(full, ["gateway", "auth", "mode"]));
        expect(at(after, ["agents", "defaults", "model"])).toEqual(at(full, ["agents", "defaults", "model"]));
        const v = await openclaw(iso, ["config", "validate", "--json"]);
        expect(v.status, describeRun(v)).toBe(0);
        expect(parseJson<ValidateJson>(v).valid).toBe(true);
      },
      60_000,
    );
  });

  describe("openclawConfig: the escape hatch, through the shipped apply-openclaw-config step", () => {
    /** The step as a host runs it, on `iso`: its ~/.openclaw is the isolation's state directory. */
    async function apply(iso: Isolation, o: OpenClawConfigOptions, label: string): Promise<RunResult> {
      const step = renderApplyConfigStep(
        { patch: o.patch, port: 18789 },
        (o.secrets ?? {}) as Readonly<Record<string, string>>,
      );
      const home = join(iso.root, "step-home");
      mkdirSync(home, { recursive: true });
      try {
        symlinkSync(iso.stateDir, join(home, ".openclaw"));
      } catch {
        // made by an earlier run on this isolation
      }
      const run = await runProcess("bash", ["-c", step.command], {
        env: { ...iso.env, ...step.environment, HOME: home },
        input: step.stdin!,
        timeoutMs: 120_000,
      });
      phase(`apply-openclaw-config: ${label}`, run.ms);
      for (const text of [run.stdout, run.stderr]) expect(text).not.toContain(SENTINELS.openclawConfigSecret);
      return run;
    }
    const full = () => renderCombination(fullCombination("http://127.0.0.1:9")).config;

    it("a patch is merged on top of the library's parts, converges, and a key dropped from it is deleted", async () => {
      const iso = fresh("escape-hatch", full());
      const first = await apply(iso, OPENCLAW_CONFIG, "first");
      expect(first.status, describeRun(first)).toBe(0);
      expect(lastLine(first)).toBe("changed");
      let config = iso.readConfig();
      expect(at(config, "models.providers.litellm.apiKey")).toBe(SENTINELS.openclawConfigSecret);
      expect(at(config, "messages.ackReaction")).toBe("👀");
      expect(at(config, "channels.telegram.botToken"), "the library's parts are untouched").toBeDefined();
      expect(at(config, "gateway.bind")).toBe("loopback");
      const before = readFileSync(iso.configPath, "utf8");

      const again = await apply(iso, OPENCLAW_CONFIG, "again");
      expect(again.status, describeRun(again)).toBe(0);
      expect(lastLine(again)).toBe("unchanged");
      expect(readFileSync(iso.configPath, "utf8")).toBe(before);

      const fewer = {
        ...OPENCLAW_CONFIG,
        patch: {
          models: {
            providers: {
              litellm: { ...OPENCLAW_CONFIG.patch.models.providers.litellm, baseUrl: "http://127.0.0.1:4001" },
            },
          },
        },
      };
      const changed = await apply(iso, fewer, "a key dropped");
      expect(changed.status, describeRun(changed)).toBe(0);
      config = iso.readConfig();
      expect(at(config, "messages.ackReaction")).toBeUndefined();
      expect(at(config, "models.providers.litellm.baseUrl")).toBe("http://127.0.0.1:4001");

      const none = await apply(iso, { patch: {} }, "no patch");
      expect(none.status, describeRun(none)).toBe(0);
      expect(lastLine(none)).toBe("changed");
      config = iso.readConfig();
      expect(at(config, "models.providers.litellm")).toBeUndefined();
      expect(at(config, "channels.telegram.botToken")).toBeDefined();
      expect(at(config, "gateway.auth.mode")).toBe("token");
      const settled = await apply(iso, { patch: {} }, "no patch, again");
      expect(lastLine(settled)).toBe("unchanged");
      const v = await openclaw(iso, ["config", "validate", "--json"]);
      expect(parseJson<ValidateJson>(v).valid, describeRun(v)).toBe(true);
    }, 240_000);

    it("an agent set: two agents with their own workspace, model and sandbox, a binding; a dropped agent goes whole", async () => {
      const iso = fresh("escape-hatch-agents", full());
      const research = {
        workspace: "~/.openclaw/workspace-research",
        model: { primary: "anthropic/claude-sonnet-4-6" },
        sandbox: { workspaceAccess: "ro" },
      };
      const agents = {
        patch: {
          agents: {
            defaults: { timeoutSeconds: 900 },
            entries: { main: { default: true }, research },
          },
          bindings: [
            { agentId: "research", match: { channel: "telegram", peer: { kind: "direct", id: "123456789" } } },
          ],
        },
      };
      const first = await apply(iso, agents, "two agents");
      expect(first.status, describeRun(first)).toBe(0);
      let config = iso.readConfig();
      expect(at(config, "agents.entries.research")).toEqual(research);
      expect(at(config, "agents.defaults.timeoutSeconds")).toBe(900);
      expect(at(config, "agents.defaults.model"), "the library's model stays").toEqual({
        primary: "anthropic/claude-opus-5",
      });
      // OpenClaw adds a binding of its own for the default agent once there are two.
      expect(config.bindings).toEqual(expect.arrayContaining(agents.patch.bindings));

      const one = { patch: { agents: { entries: { main: { default: true } } } } };
      const dropped = await apply(iso, one, "one agent dropped");
      expect(dropped.status, describeRun(dropped)).toBe(0);
      config = iso.readConfig();
      // Deleted with OpenClaw's own command (config patch refuses to drop a roster entry),
      // not left as an empty {} that OpenClaw would still list as an agent.
      expect(dropped.stdout).toContain("deleting the agent research");
      expect(Object.keys(at(config, "agents.entries") as object)).toEqual(["main"]);
      expect(at(config, "agents.defaults.timeoutSeconds")).toBeUndefined();
      expect(at(config, "agents.defaults.sandbox"), "the library's sandbox part stays").toBeDefined();
      expect(config.bindings).toBeUndefined();

      const none = await apply(iso, { patch: {} }, "no agents");
      expect(none.status, describeRun(none)).toBe(0);
      config = iso.readConfig();
      // What OpenClaw keeps of its own (the default agent's entry and workspace) stays; the patch's key goes.
      expect(Object.keys(at(config, "agents.entries") as object)).toEqual(["main"]);
      expect(at(config, "agents.entries.main.default")).toBeUndefined();
      expect(at(config, "agents.defaults.model")).toEqual({ primary: "anthropic/claude-opus-5" });
      const v = await openclaw(iso, ["config", "validate", "--json"]);
      expect(parseJson<ValidateJson>(v).valid, describeRun(v)).toBe(true);
    }, 240_000);

    it("agents, first-class: the library's patch for two agents is applied, OpenClaw lists them, and a dropped one is deleted", async () => {
      const iso = fresh("agents-first-class", full());
      const patchOf = (agents: AgentOptions[]) => {
        const v = new ArgValidator("OpenClawDeployment");
        const patch = resolveAgentsArgs(agents, v, {
          authenticated: ["anthropic", "openai"],
          sandbox: true,
          channels: ["telegram"],
        });
        v.throwIfInvalid();
        return { patch };
      };
      const research: AgentOptions = {
        id: "research",
        name: "Research",
        model: "openai/gpt-5.5",
        sandbox: { workspaceAccess: "ro" },
        bindings: [{ channel: "telegram", peer: { kind: "direct", id: "123456789" } }],
      };
      const ops: AgentOptions = { id: "ops", workspace: "~/agents/ops", sandbox: { network: "none" } };
      const listed = async () => {
        const r = await openclaw(iso, ["agents", "list", "--json"]);
        expect(r.status, describeRun(r)).toBe(0);
        return parseJson<Array<{ id: string; isDefault: boolean; model?: string | null; bindings: number }>>(r).map(
          (a) => ({ id: a.id, isDefault: a.isDefault, model: a.model ?? null, bindings: a.bindings }),
        );
      };

      const first = await apply(iso, patchOf([research, ops]), "two agents");
      expect(first.status, describeRun(first)).toBe(0);
      // main stays the default; with Telegram set, OpenClaw binds the channel's other traffic to it itself.
      expect(await listed()).toEqual([
        { id: "main", isDefault: true, model: "anthropic/claude-opus-5", bindings: 1 },
        { id: "research", isDefault: false, model: "openai/gpt-5.5", bindings: 1 },
        { id: "ops", isDefault: false, model: "anthropic/claude-opus-5", bindings: 0 },
      ]);
      let config = iso.readConfig();
      expect(at(config, "agents.entries.ops.sandbox")).toEqual({ docker: { network: "none" } });
      expect(at(config, "agents.defaults.model"), "the library's model stays").toEqual({
        primary: "anthropic/claude-opus-5",
      });
      const v = await openclaw(iso, ["config", "validate", "--json"]);
      const validated = parseJson<ValidateJson>(v);
      expect(validated.valid, describeRun(v)).toBe(true);
      expect(validated.warnings ?? [], "nothing OpenClaw would rewrite").toEqual([]);
      expect(lastLine(await apply(iso, patchOf([research, ops]), "two agents, again"))).toBe("unchanged");

      const dropped = await apply(iso, patchOf([research]), "ops dropped");
      expect(dropped.status, describeRun(dropped)).toBe(0);
      expect(dropped.stdout).toContain("deleting the agent ops");
      expect((await listed()).map((a) => a.id)).toEqual(["main", "research"]);

      const none = await apply(iso, patchOf([]), "no agents");
      expect(none.status, describeRun(none)).toBe(0);
      expect((await listed()).map((a) => a.id)).toEqual(["main"]);
      config = iso.readConfig();
      expect(config.bindings).toBeUndefined();
      expect(at(config, "channels.telegram.botToken"), "the library's parts are untouched").toBeDefined();
    }, 300_000);

    it("a key the pinned OpenClaw does not know fails the step and leaves the live config as it was", async () => {
      const iso = fresh("escape-hatch-unknown", full());
      const before = readFileSync(iso.configPath, "utf8");
      const run = await apply(iso, { patch: { messagez: { ackReaction: "x" } } }, "unknown key");
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain("openclaw rejected the openclaw-config config (the live config is unchanged)");
      expect(readFileSync(iso.configPath, "utf8")).toBe(before);
    }, 120_000);

    // Each of these the pinned OpenClaw accepts as valid: the library's
    // refusal at construction is the only thing that stops it.
    const WEAKENING: Array<[string, Record<string, unknown>]> = [
      // With Tailscale Serve on, OpenClaw itself refuses a non-loopback bind
      // and auth "none"; a patch that also turns Serve off gets both through.
      ["a non-loopback bind", { gateway: { bind: "lan", tailscale: { mode: "off" } } }],
      ["no token auth", { gateway: { auth: { mode: "none" }, tailscale: { mode: "off" } } }],
      ["elevated tools on", { tools: { elevated: { enabled: true } } }],
      ["the sandbox off", { agents: { defaults: { sandbox: { mode: "off" } } } }],
      [
        "elevated tools on for one agent",
        { agents: { list: [{ id: "main", tools: { elevated: { enabled: true } } }] } },
      ],
      ["the sandbox off for one agent", { agents: { list: [{ id: "helper", sandbox: { mode: "off" } }] } }],
      [
        "elevated tools on for one agent entry",
        { agents: { entries: { x: { tools: { elevated: { enabled: true } } } } } },
      ],
      ["the sandbox off for one agent entry", { agents: { entries: { x: { sandbox: { mode: "off" } } } } }],
    ];
    it.each(WEAKENING)(
      "%s: OpenClaw itself accepts it, the library refuses it at construction naming the key",
      async (_what, patch) => {
        const v = new ArgValidator("OpenClawDeployment");
        resolveOpenClawConfigArgs({ patch }, v);
        expect(() => v.throwIfInvalid()).toThrow(/openclawConfig\.patch\.[A-Za-z.[\]0-9]+: /);
        // Accepted means valid to OpenClaw's schema: what validate checks (a patch
        // that names no model has nothing more for a dry run to resolve).
        const r = await validate(
          `weaken-${WEAKENING.findIndex(([, p]) => p === patch)}`,
          mergeConfigPatches(full(), patch),
        );
        expect(r.json.valid, `${JSON.stringify(r.json.issues)}\n${describeRun(r.run)}`).toBe(true);
        expect(r.json.issues ?? []).toEqual([]);
      },
      120_000,
    );
  });
});
