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

describe("model credentials: claudeSetupToken and modelAuth", () => {
  const { claudeSetupToken: _token, ...noToken } = base;
  const openai = { openai: { apiKey: SENTINELS.openaiApiKey } };
  const refusal = (args: OpenClawDeploymentArgs): string => {
    try {
      resolveDeployment(args, "t");
    } catch (e) {
      const text = (e as Error).message;
      for (const secret of [SENTINELS.openaiApiKey, SENTINELS.openrouterApiKey, SENTINELS.claudeSetupToken])
        expect(text).not.toContain(secret);
      return text;
    }
    throw new Error("accepted");
  };

  it("accepts an OpenAI key alone with an OpenAI model, and lists the providers it authenticates", () => {
    const d = resolveDeployment({ ...noToken, modelAuth: openai, model: "openai/gpt-5.5" }, "t");
    expect(d.gateway.claudeSetupToken).toBeUndefined();
    expect(d.gateway.modelAuthProviders).toEqual(["openai"]);
    expect(Object.keys(d.gateway.modelApiKeys)).toEqual(["openai"]);
  });

  it("accepts OpenRouter's vendor/model ids with an OpenRouter key", () => {
    const modelAuth = { openrouter: { apiKey: SENTINELS.openrouterApiKey } };
    for (const model of ["openrouter/anthropic/claude-sonnet-4-6", "openrouter/auto"])
      expect(resolveDeployment({ ...noToken, modelAuth, model }, "t").gateway.model).toBe(model);
  });

  it("refuses a deployment with no credential at all, naming both arguments", () => {
    expect(refusal(noToken)).toMatch(/claudeSetupToken: is missing, and so is every API key; expected .*modelAuth/);
  });

  it("refuses a model whose provider has no credential, naming the one to set", () => {
    expect(refusal({ ...noToken, modelAuth: openai })).toMatch(
      /model: "anthropic\/claude-opus-5" is a model of "anthropic", for which no credential is set; expected a model of "openai" .*claudeSetupToken or modelAuth\.anthropic\.apiKey/,
    );
    expect(refusal({ ...base, model: "openai/gpt-5.5" })).toMatch(/set modelAuth\.openai\.apiKey/);
    expect(refusal({ ...base, model: "mistral/mistral-large" })).toMatch(
      /a provider the library stores no credential for/,
    );
  });

  it("refuses both Anthropic credentials at once", () => {
    const modelAuth = { anthropic: { apiKey: `sk-ant-api03-${"a".repeat(90)}` } };
    expect(refusal({ ...base, modelAuth })).toMatch(/modelAuth\.anthropic: is set together with claudeSetupToken/);
  });

  it("refuses a key of the wrong form, naming the path and never the value", () => {
    expect(
      refusal({ ...noToken, modelAuth: { openai: { apiKey: SENTINELS.openrouterApiKey } }, model: "openai/gpt-5.5" }),
    ).toMatch(/modelAuth\.openai\.apiKey: .*is not an OpenAI API key/);
    expect(refusal({ ...noToken, modelAuth: { anthropic: { apiKey: SENTINELS.claudeSetupToken } } })).toMatch(
      /modelAuth\.anthropic\.apiKey: .*is a Claude setup token, not an API key/,
    );
    expect(
      refusal({
        ...noToken,
        modelAuth: { openai: { apiKey: `${SENTINELS.openaiApiKey}\nmore` } },
        model: "openai/gpt-5.5",
      }),
    ).toMatch(/modelAuth\.openai\.apiKey/);
  });

  it("refuses unknown providers and keys, and a block without its key", () => {
    expect(refusal({ ...base, modelAuth: { mistral: { apiKey: "x" } } as never })).toMatch(/modelAuth\.mistral/);
    expect(refusal({ ...base, modelAuth: { openai: { apiKey: SENTINELS.openaiApiKey, org: "x" } } as never })).toMatch(
      /modelAuth\.openai\.org/,
    );
    expect(refusal({ ...base, modelAuth: { openai: {} } as never })).toMatch(/modelAuth\.openai\.apiKey: is missing/);
    expect(refusal({ ...base, modelAuth: { openai: null } as never })).toMatch(
      /modelAuth\.openai: is not a plain object/,
    );
    expect(refusal({ ...base, modelAuth: "sk-proj-x" as never })).toMatch(/modelAuth: is not a plain object/);
  });
});
