import { beforeAll, describe, expect, it } from "vitest";
import { COMBINATIONS, full, RENDER_SECRETS as secrets, SENTINELS } from "../test/fixtures.js";
import { installMocks, settle, valueOf, type MockRecorder } from "./testing/index.js";
import { USER_DATA_LIMIT_BYTES } from "./host/cloud-config.js";
import { OpenClawDeployment } from "./index.js";
import { renderDeployment, type PlainDeploymentArgs } from "./render.js";
import { renderStep } from "./remote/step.js";
import { DEFAULT_NODE_RUNTIME } from "./versions.js";

describe("renderDeployment", () => {
  it.each(COMBINATIONS)("%s: keeps every secret out of commands and environment", (_label, args) => {
    const r = renderDeployment(args, secrets);
    const secretValues = [
      SENTINELS.claudeSetupToken,
      SENTINELS.telegramBotToken,
      SENTINELS.tailscaleAuthKey,
      secrets.gatewayToken,
      "DEPLOYKEYSENTINEL",
      SENTINELS.offServerPassword,
      "OFFSERVERKEYSENTINEL",
      SENTINELS.offServerS3SecretKey,
      "S3ACCESSKEYIDSENTINEL",
    ];
    for (const step of r.steps) {
      for (const s of secretValues) {
        expect(step.command.includes(s), `${step.name} command`).toBe(false);
        expect(JSON.stringify(step.environment).includes(s), `${step.name} environment`).toBe(false);
      }
      if (step.stdin && secretValues.some((s) => step.stdin!.includes(s))) expect(step.secret, step.name).toBe(true);
    }
    expect(r.userData).toContain(SENTINELS.tailscaleAuthKey);
    for (const s of secretValues.slice(0, 2).concat(secretValues.slice(3))) expect(r.userData.includes(s)).toBe(false);
    expect(Buffer.byteLength(r.userData)).toBeLessThan(USER_DATA_LIMIT_BYTES);
    expect(new Set(r.steps.map((s) => s.name)).size).toBe(r.steps.length);
  });

  it("puts no argument's value into any step's command text: values travel in the environment or on stdin", () => {
    // Distinct, valid values for every argument that reaches a step; none may
    // appear in a command (descriptions included), only in its environment or stdin.
    const marked: PlainDeploymentArgs = {
      ...full,
      serverName: "zq7x-host",
      openclawVersion: "2026.9.5",
      nodeRuntime: { ...DEFAULT_NODE_RUNTIME, version: "24.19.3", distBaseUrl: "https://zq7x.example/dist" },
      telegram: {
        botToken: SENTINELS.telegramBotToken,
        userId: "987654321",
        schedules: [{ name: "Zq7x job", cron: "7 7 * * *", message: "zq7x message" }],
      },
      workspaceSync: { repoUrl: "git@zq7x.example:someone/ws.git", interval: "20min" },
      sandbox: { image: "zq7x-sandbox:custom", dockerfileExtras: ["RUN echo zq7x"] },
    };
    const r = renderDeployment(marked, secrets);
    const values = ["zq7x", "Zq7x", "2026.9.5", "24.19.3", "987654321", "7 7 * * *"];
    for (const step of r.steps) {
      for (const value of values)
        expect(step.command.includes(value), `${step.name} command holds ${value}`).toBe(false);
    }
    const carried = JSON.stringify(r.steps.map((s) => [s.environment, s.stdin ?? ""]));
    for (const value of values) expect(carried.includes(value), `${value} reaches the host`).toBe(true);
  });

  it("refuses a step description that would end the comment line it is written into", () => {
    expect(() => renderStep({ name: "x", description: "one\nsudo id", script: "finish\n" })).toThrow(
      /its description must be one line of printable ASCII/,
    );
  });

  it("renders the full config as the merge of the parts", () => {
    const r = renderDeployment(full, secrets);
    expect(r.openclawConfig).toMatchObject({
      gateway: {
        bind: "loopback",
        port: 18789,
        auth: { mode: "token", token: secrets.gatewayToken, allowTailscale: true },
      },
      agents: {
        defaults: { model: { primary: "anthropic/claude-opus-5" }, thinkingDefault: "high", sandbox: { mode: "all" } },
      },
      channels: { telegram: { allowFrom: [123456789], dmPolicy: "allowlist" } },
      tools: { elevated: { enabled: false } },
    });
    expect(r.schedules).toHaveLength(4);
    expect(Object.keys(r.units).sort()).toEqual(["openclaw-gateway.service", "openclaw-workspace-sync.timer"]);
    expect(r.dockerfiles!.custom).toContain("USER 1000:1000");
  });
});

describe("the seam renders what the components create", () => {
  let mocks: MockRecorder;
  beforeAll(async () => {
    mocks = await installMocks();
  });

  it("gives every step the same command, environment and stdin as the remote.Command resources", async () => {
    const d = new OpenClawDeployment("seam", full as never);
    await valueOf(d.workspaceDeployPublicKey);
    await settle();
    const r = renderDeployment(full, {
      adminPublicKey: await valueOf(d.host.adminKey.publicKeyOpenssh),
      gatewayToken: await valueOf(d.gatewayToken),
      deployPrivateKey: await valueOf(d.workspaceSync.deployKey.privateKeyOpenssh),
    });
    const recorded = mocks.steps();
    expect(
      recorded.map((s) =>
        s.resourceName.replace(
          /^seam-(gateway|sandbox|telegram|schedules|discord|slack|whatsapp|workspace|backups|config)-|^seam-/,
          "",
        ),
      ),
    ).toEqual(r.steps.map((s) => s.name));
    r.steps.forEach((step, i) => {
      expect(recorded[i]!.command).toBe(step.command);
      expect(recorded[i]!.environment).toEqual(step.environment);
      expect(recorded[i]!.stdin).toBe(step.stdin);
      expect(recorded[i]!.logging).toBe(step.secret ? "none" : "stdoutAndStderr");
    });
    expect(mocks.userData()).toBe(r.userData);
  });
});
