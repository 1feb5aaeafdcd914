import { describe, expect, it } from "vitest";
import { DEFAULT_NODE_RUNTIME } from "../versions.js";
import { renderGatewaySteps, renderGatewayUnit, SECRET_PLACEHOLDERS, type GatewaySettings } from "./steps.js";

const settings: GatewaySettings = {
  openclawVersion: "2026.9.6",
  model: "anthropic/claude-opus-5",
  thinkingDefault: "high",
  port: 18789,
  nodeRuntime: DEFAULT_NODE_RUNTIME,
};
const secrets = {
  gatewayToken: "GATEWAYTOKEN0123456789abcdefGATEWAYTOKEN01234567",
  claudeSetupToken: `sk-ant-oat01-${"y".repeat(90)}`,
};

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
      for (const value of Object.values(secrets)) {
        expect(s.command).not.toContain(value);
        expect(JSON.stringify(s.environment)).not.toContain(value);
      }
    }
    expect(steps.configureGateway.secret).toBe(true);
    expect(steps.configureGateway.stdin!.split("\n")[0]).toBe(secrets.claudeSetupToken);
    expect(JSON.parse(steps.configureGateway.stdin!.split("\n").slice(1).join("\n")).gateway.auth.token).toBe(
      secrets.gatewayToken,
    );
    for (const s of [steps.waitForHost, steps.installOpenclaw, steps.startGateway]) expect(s.stdin).toBeUndefined();
  });

  it("renders command and environment independently of the secrets", () => {
    const shown = renderGatewaySteps(settings, SECRET_PLACEHOLDERS);
    for (const key of Object.keys(steps) as (keyof typeof steps)[]) {
      expect(shown[key].command).toBe(steps[key].command);
      expect(shown[key].environment).toEqual(steps[key].environment);
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

  it("puts the port into the unit and never a token", () => {
    const unit = renderGatewayUnit(19999);
    expect(unit).toContain("ExecStart=/usr/local/bin/openclaw gateway run --port 19999");
    expect(unit).toContain("RestartPreventExitStatus=78");
    expect(unit).not.toMatch(/token/i);
  });
});
