import { describe, expect, it } from "vitest";
import { SENTINELS } from "../test/fixtures.js";
import { resolveDeployment, type OpenClawDeploymentArgs } from "./deployment-args.js";

const base: OpenClawDeploymentArgs = {
  tailscaleAuthKey: SENTINELS.tailscaleAuthKey,
  claudeSetupToken: SENTINELS.claudeSetupToken,
};

// The forms typed before the Args became analyzer-friendly still work at run
// time, so a JavaScript or YAML-fed stack does not break on upgrade.
describe("forms that are no longer typed but still accepted", () => {
  it("`backups: false` switches off Hetzner's backups only, as it did", () => {
    const d = resolveDeployment({ ...base, backups: false as never }, "t");
    expect(d.host.backups).toBe(false);
    expect(d.backups).toEqual({ schedule: "daily", keep: 7 });
  });

  it("a numeric Telegram user id becomes its digits", () => {
    const d = resolveDeployment(
      { ...base, telegram: { botToken: SENTINELS.telegramBotToken, userId: 123456789 as never } },
      "t",
    );
    expect(d.telegram!.userId).toBe("123456789");
  });

  it("a string gateway token version keys the token as the number would", () => {
    expect(
      String(resolveDeployment({ ...base, gatewayTokenVersion: "2" as never }, "t").gateway.gatewayTokenVersion),
    ).toBe(String(resolveDeployment({ ...base, gatewayTokenVersion: 2 }, "t").gateway.gatewayTokenVersion));
  });
});

describe("values that would change on the way to the host", () => {
  it("refuses a Telegram user id above 2^53 - 1, which OpenClaw would store as another number", () => {
    const telegram = { botToken: SENTINELS.telegramBotToken, userId: "9007199254740993" };
    expect(() => resolveDeployment({ ...base, telegram }, "t")).toThrow(
      /telegram\.userId: "9007199254740993" is larger than 2\^53/,
    );
    expect(
      resolveDeployment({ ...base, telegram: { ...telegram, userId: "9007199254740991" } }, "t").telegram!.userId,
    ).toBe("9007199254740991");
  });

  it("refuses a git identity with a control character", () => {
    expect(() => resolveDeployment({ ...base, workspaceSync: { gitUserName: "Agent\u0000" } }, "t")).toThrow(
      /workspaceSync\.gitUserName/,
    );
  });
});

describe("resolveDeployment", () => {
  it("leaves a part out when it is switched off, and resolves the workspace always (its key is always made)", () => {
    const d = resolveDeployment({ ...base, sandbox: { enabled: false }, backups: { enabled: false } }, "t");
    expect(d.sandbox).toBeUndefined();
    expect(d.telegram).toBeUndefined();
    expect(d.backups).toBeUndefined();
    expect(d.workspaceSync).toMatchObject({ repoUrl: undefined, interval: "1h" });
  });

  it("reports the problems of every block in one error", () => {
    expect(() =>
      resolveDeployment(
        {
          ...base,
          serverName: "Bad_Name",
          sandbox: { network: "host" },
          workspaceSync: { interval: "7min" },
          backups: { keep: 0 },
        },
        "t",
      ),
    ).toThrow(/serverName[\s\S]*backups\.keep[\s\S]*sandbox\.network[\s\S]*workspaceSync\.interval/);
  });
});
