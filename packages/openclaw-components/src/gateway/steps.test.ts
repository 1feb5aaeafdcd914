import { describe, expect, it } from "vitest";
import { DEFAULT_NODE_RUNTIME } from "../versions.js";
import { renderGatewaySteps, renderGatewayUnit, SECRET_PLACEHOLDERS, type GatewaySettings } from "./steps.js";

const settings: GatewaySettings = {
  openclawVersion: "2026.9.6",
  model: "anthropic/claude-opus-5",
  thinkingDefault: "high",
  port: 18789,
  nodeRuntime: DEFAULT_NODE_RUNTIME,
  modelAuth: { setupToken: true, apiKeys: [] },
};
const secrets = {
  gatewayToken: "GATEWAYTOKEN0123456789abcdefGATEWAYTOKEN01234567",
  claudeSetupToken: `sk-ant-oat01-${"y".repeat(90)}`,
  modelApiKeys: {},
};
const openaiKey = `sk-proj-${"k".repeat(60)}`;
const openrouterKey = `sk-or-v1-${"r".repeat(64)}`;

describe("renderGatewaySteps", () => {
  const steps = renderGatewaySteps(settings, secrets);
  const list = Object.values(steps);

  it("renders four steps that start with the shared strict-mode prelude and end in a result line", () => {
    expect(list.map((s) => s.name)).toEqual([
      "wait-for-host",
      "install-openclaw",
      "configure-gateway",
      "start-gateway",
    ]);
    for (const s of list) {
      expect(s.command.startsWith("#!/usr/bin/env bash\n")).toBe(true);
      expect(s.command).toContain("set -euo pipefail");
      expect(s.command.trimEnd().endsWith("finish")).toBe(true);
      for (const key of Object.keys(s.environment)) expect(key).toMatch(/^OPENCLAW_[A-Z0-9_]+$/);
    }
  });

  it("keeps secrets out of commands and environment, and in stdin only", () => {
    for (const s of list) {
      for (const value of [secrets.gatewayToken, secrets.claudeSetupToken]) {
        expect(s.command).not.toContain(value);
        expect(JSON.stringify(s.environment)).not.toContain(value);
      }
    }
    expect(steps.configureGateway.secret).toBe(true);
    const [token, keys, ...patch] = steps.configureGateway.stdin!.split("\n");
    expect(token).toBe(secrets.claudeSetupToken);
    expect(keys).toBe("{}");
    expect(JSON.parse(patch.join("\n")).gateway.auth.token).toBe(secrets.gatewayToken);
    for (const s of [steps.waitForHost, steps.installOpenclaw, steps.startGateway]) expect(s.stdin).toBeUndefined();
  });

  it("renders command and environment independently of the secrets", () => {
    const shown = renderGatewaySteps(settings, SECRET_PLACEHOLDERS);
    for (const key of Object.keys(steps) as (keyof typeof steps)[]) {
      expect(shown[key]?.command).toBe(steps[key]?.command);
      expect(shown[key]?.environment).toEqual(steps[key]?.environment);
    }
  });

  it("changes only configure-gateway's stdin when the model changes", () => {
    const changed = renderGatewaySteps({ ...settings, model: "anthropic/claude-sonnet-4-6" }, secrets);
    expect(changed.configureGateway.stdin).not.toBe(steps.configureGateway.stdin);
    for (const key of ["waitForHost", "installOpenclaw", "startGateway"] as const)
      expect(changed[key]).toEqual(steps[key]);
  });

  it("changes only install-openclaw when the OpenClaw version changes", () => {
    const changed = renderGatewaySteps({ ...settings, openclawVersion: "2026.9.5" }, secrets);
    expect(changed.installOpenclaw.environment.OPENCLAW_VERSION).toBe("2026.9.5");
    for (const key of ["waitForHost", "configureGateway", "startGateway"] as const)
      expect(changed[key]).toEqual(steps[key]);
  });

  it("API keys: on stdin's second line as JSON by provider; the environment names the providers, never a key", () => {
    const auth = { setupToken: false, apiKeys: ["openai", "openrouter"] as const };
    const withKeys = renderGatewaySteps(
      { ...settings, model: "openai/gpt-5.5", modelAuth: { ...auth, apiKeys: [...auth.apiKeys] } },
      { ...secrets, claudeSetupToken: "", modelApiKeys: { openai: openaiKey, openrouter: openrouterKey } },
    ).configureGateway;
    const [token, keys] = withKeys.stdin!.split("\n");
    expect(token).toBe("");
    expect(JSON.parse(keys!)).toEqual({ openai: openaiKey, openrouter: openrouterKey });
    expect(withKeys.environment.OPENCLAW_MODEL_AUTH).toBe("openai:api-key openrouter:api-key");
    expect(withKeys.environment.OPENCLAW_MODEL_AUTH_PROVIDERS).toBe("anthropic openai openrouter");
    expect(steps.configureGateway.environment.OPENCLAW_MODEL_AUTH).toBe("anthropic:setup-token");
    for (const key of [openaiKey, openrouterKey]) {
      expect(withKeys.command).not.toContain(key);
      expect(JSON.stringify(withKeys.environment)).not.toContain(key);
    }
    // Shown with placeholders, never the keys.
    const shown = renderGatewaySteps(
      { ...settings, modelAuth: { setupToken: false, apiKeys: ["openai"] } },
      SECRET_PLACEHOLDERS,
    ).configureGateway;
    expect(shown.stdin!.split("\n")[1]).toBe('{"openai":"<secret:modelAuth.openai.apiKey>"}');
  });

  it("puts the port into the unit and never a token", () => {
    const unit = renderGatewayUnit(19999);
    expect(unit).toContain("ExecStart=/usr/local/bin/openclaw gateway run --port 19999");
    expect(unit).toContain("RestartPreventExitStatus=78");
    expect(unit).not.toMatch(/token/i);
  });
});
