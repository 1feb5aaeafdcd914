/** The plan's pure helpers; the built bin itself is tested in test/cli. */
import { describe, expect, it } from "vitest";
import { fullArgs, SENTINELS } from "../../test/fixtures.js";
import { compareRecordings, recordRun } from "../testing/change-impact.js";
import { OpenClawDeployment } from "../deployment.js";
import { formatImpact, formatPlan } from "./format.js";
import { buildPlan, redact, redactUserData } from "./plan.js";
import { HETZNER_SERVER_TYPES } from "../validate/rules.js";
import { estimateCost, PRICES } from "./prices.js";

describe("plan helpers", () => {
  it("redacts secret-looking keys and a plain auth key in user-data", () => {
    expect(redact({ a: { token: "x", botToken: "y", keep: "z" }, list: [{ password: "p" }] })).toEqual({
      a: { token: "<redacted>", botToken: "<redacted>", keep: "z" },
      list: [{ password: "<redacted>" }],
    });
    const ud =
      'write_files:\n  - path: /run/openclaw-bootstrap/tailscale-authkey\n    permissions: "0600"\n    owner: root:root\n    content: tskey-auth-REAL\n';
    expect(redactUserData(ud)).toContain("content: <redacted>");
    expect(redactUserData(ud)).not.toContain("tskey-auth-REAL");
  });

  it("prices every type the validation accepts, or says plainly that it does not", () => {
    for (const type of Object.keys(HETZNER_SERVER_TYPES)) {
      const e = estimateCost(type, true);
      if (type in PRICES.serverTypes) expect(e.total, type).toBeGreaterThan(0);
      else expect(e.note, type).toContain(`not priced: ${type}`);
    }
  });

  it("says when the price table has no price", () => {
    expect(estimateCost("ccx63", true).note).toMatch(
      /^not priced: ccx63 is a valid type, but the price table dated \d{4}-\d{2}-\d{2} has list prices for cx23 and cx33 only; see https:\/\/www\.hetzner\.com\/cloud for ccx63$/,
    );
    expect(compareRecordings([], []).changes).toEqual([]);
  });
});

describe("openclawConfig in the plan", () => {
  it("shows the patch's keys in openclaw.json with its secrets as placeholders, whatever their key", async () => {
    const args = fullArgs({
      openclawConfig: {
        patch: {
          channels: { mattermost: { enabled: true, botToken: { $secret: "mattermostToken" } } },
          // A secret under a key that does not look like one: only the placeholder shows it.
          messages: { ackReaction: { $secret: "reaction" } },
        },
        secrets: { mattermostToken: SENTINELS.openclawConfigSecret, reaction: "SENTINELplainReactionSecret" },
      },
    });
    const resources = await recordRun((a: ReturnType<typeof fullArgs>) => new OpenClawDeployment("oc", a), args);
    const plan = buildPlan({ project: "p", stack: "s", resources, outputs: {} });
    expect(plan.openclawConfig).toMatchObject({
      channels: {
        mattermost: { enabled: true, botToken: "<redacted>" },
        telegram: { enabled: true, botToken: "<redacted>" },
        discord: { enabled: true, token: "<redacted>", allowFrom: ["123456789012345678"] },
        slack: { mode: "socket", botToken: "<redacted>", appToken: "<redacted>", allowFrom: ["U0123ABCDE"] },
      },
      messages: { ackReaction: "<secret:openclawConfig.secrets.reaction>" },
    });
    const text = JSON.stringify(plan);
    expect(text).not.toContain(SENTINELS.openclawConfigSecret);
    expect(text).not.toContain(SENTINELS.discordBotToken);
    expect(text).not.toContain(SENTINELS.slackBotToken);
    expect(text).not.toContain(SENTINELS.slackAppToken);
    expect(text).not.toContain("SENTINELplainReactionSecret");
  });
});

describe("the assistant in the plan: channels, agents, model credentials", () => {
  it("lists each channel, each agent with its model and routes, and each credential by provider", async () => {
    const resources = await recordRun((a: ReturnType<typeof fullArgs>) => new OpenClawDeployment("oc", a), fullArgs());
    const plan = buildPlan({ project: "p", stack: "s", resources, outputs: {} });
    expect(plan.assistant).toEqual({
      modelCredentials: ["anthropic (setup token)", "openai (API key)", "openrouter (API key)"],
      channels: ["discord", "slack", "whatsapp", "telegram"],
      agents: [
        { id: "main", default: true, model: "anthropic/claude-opus-5", bindings: [] },
        { id: "research", default: false, model: "openai/gpt-5.5", bindings: ["discord"] },
      ],
    });
    const text = formatPlan(plan, { color: false });
    expect(text).toContain(
      "== The assistant\n\n  model credentials: anthropic (setup token), openai (API key), openrouter (API key)\n  channels: discord, slack, whatsapp, telegram\n  agents:\n    main (default)  anthropic/claude-opus-5  (everything)\n    research  openai/gpt-5.5  ← discord\n",
    );
  });

  it("says so when a deployment has no channel and one agent", async () => {
    const resources = await recordRun(
      (a: ReturnType<typeof fullArgs>) => new OpenClawDeployment("oc", a),
      fullArgs({
        telegram: undefined,
        discord: undefined,
        slack: undefined,
        whatsapp: undefined,
        openclawConfig: undefined,
        agents: undefined,
        modelAuth: undefined,
      }),
    );
    const plan = buildPlan({ project: "p", stack: "s", resources, outputs: {} });
    expect(plan.assistant).toEqual({
      modelCredentials: ["anthropic (setup token)"],
      channels: [],
      agents: [{ id: "main", default: true, model: "anthropic/claude-opus-5", bindings: [] }],
    });
    expect(formatPlan(plan, { color: false })).toContain("  channels: none (the Control UI only)\n");
  });

  it("names each provider with a credential, shows the gateway's config, and holds no key", async () => {
    const resources = await recordRun((a: ReturnType<typeof fullArgs>) => new OpenClawDeployment("oc", a), fullArgs());
    const plan = buildPlan({ project: "p", stack: "s", resources, outputs: {} });
    const configure = plan.steps.find((s) => s.name === "configure-gateway")!;
    expect(configure.environment.OPENCLAW_MODEL_AUTH).toBe("anthropic:setup-token openai:api-key openrouter:api-key");
    expect(configure.secretStdin).toBe(true);
    // The gateway's patch comes from stdin's third line on: the credentials come first.
    expect(plan.openclawConfig).toMatchObject({
      gateway: { bind: "loopback", auth: { token: "<redacted>" } },
      agents: { defaults: { model: { primary: "anthropic/claude-opus-5" } } },
    });
    const text = JSON.stringify(plan);
    for (const key of [SENTINELS.openaiApiKey, SENTINELS.openrouterApiKey, SENTINELS.claudeSetupToken])
      expect(text).not.toContain(key);
  });
});

describe("the impact as the plan prints it", () => {
  it("a replaced server comes first, in red, with the way to rebuild instead", async () => {
    // No argument replaces the server any more (location and image are refused); a replaced admin key
    // (`pulumi up --replace` on it) still does, through the server's sshKeys.
    const first = await recordRun((a: ReturnType<typeof fullArgs>) => new OpenClawDeployment("oc", a), fullArgs({}));
    const second = first.map((r) =>
      r.type === "hcloud:index/server:Server" ? { ...r, inputs: { ...r.inputs, sshKeys: ["another-key"] } } : r,
    );
    const impact = compareRecordings(first, second);
    expect(impact.serverReplaced).toBe(true);
    const text = formatImpact(impact, "Pulumi.next.yaml", { color: true });
    expect(text).toContain("\u001b[31m");
    expect(text).toMatch(/the server would be REPLACED/);
    expect(text).toMatch(/replace oc-host-server \(sshKeys\) because sshKeys changed/);
    expect(text.indexOf("REPLACED")).toBeLessThan(text.indexOf("replace oc-host-server"));
  });
});
