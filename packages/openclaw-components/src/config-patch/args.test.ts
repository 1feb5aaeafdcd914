import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { renderDeployment } from "../render.js";
import { base, DISCORD, RENDER_SECRETS, SLACK } from "../../test/fixtures.js";
import { ArgValidator } from "../validate/validator.js";
import { OWNED_CONFIG_KEYS, resolveOpenClawConfigArgs, type OpenClawConfigOptions } from "./args.js";
import { renderApplyConfigStep, renderConfigPatch } from "./steps.js";

const MATTERMOST_TOKEN = "SENTINELmattermostBotToken.abc123";

function problems(o: OpenClawConfigOptions): string {
  const v = new ArgValidator("OpenClawDeployment");
  resolveOpenClawConfigArgs(o, v);
  try {
    v.throwIfInvalid();
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}

/** A patch a user would write: a channel the library has no argument for, an extra setting, a secret. */
const MATTERMOST = {
  patch: {
    channels: {
      mattermost: { enabled: true, botToken: { $secret: "mattermostToken" }, allowFrom: ["someone"] },
    },
    messages: { ackReaction: "👀" },
    agents: { defaults: { timeoutSeconds: 900 } },
  },
  secrets: { mattermostToken: MATTERMOST_TOKEN },
} satisfies OpenClawConfigOptions;

describe("openclawConfig arguments", () => {
  it("accept a patch that touches no key the library owns, with its secret by reference", () => {
    expect(problems(MATTERMOST)).toBe("");
    expect(problems({ patch: {} })).toBe("");
  });

  it.each([
    [{ gateway: { bind: "lan" } }, "openclawConfig.patch.gateway: is gateway, which is set by the library"],
    [{ gateway: { auth: { mode: "none" } } }, "openclawConfig.patch.gateway: is gateway"],
    [{ gateway: "x" }, "openclawConfig.patch.gateway: is gateway"],
    [{ tools: { elevated: { enabled: true } } }, "openclawConfig.patch.tools.elevated: is tools.elevated"],
    [{ tools: "none" }, "openclawConfig.patch.tools: replaces tools.elevated"],
    [
      { agents: { defaults: { model: { primary: "openai/gpt-5" } } } },
      "is agents.defaults.model, which is set by the model argument",
    ],
    [{ agents: { defaults: { thinkingDefault: "low" } } }, "set by the thinkingDefault argument"],
    [
      { agents: { defaults: { sandbox: { mode: "off" } } } },
      "is agents.defaults.sandbox, which is set by the sandbox argument",
    ],
    [{ agents: { defaults: "x" } }, "openclawConfig.patch.agents.defaults: replaces agents.defaults.model"],
    [{ channels: { telegram: { enabled: false } } }, "is channels.telegram, which is set by the telegram argument"],
    [{ channels: { discord: { enabled: true } } }, "is channels.discord, which is set by the discord argument"],
  ])("refuse a key the library owns: %j", (patch, message) => {
    const p = problems({ patch });
    expect(p).toContain(message);
    expect(p).toMatch(/expected no [A-Za-z.]+ in openclawConfig\.patch/);
  });

  it("refuse per-agent settings that weaken the security model, naming the key", () => {
    const p = problems({
      patch: {
        agents: {
          list: [
            { id: "a", tools: { elevated: { enabled: true } } },
            { id: "b", sandbox: { mode: "off" } },
          ],
        },
      },
    });
    expect(p).toContain("openclawConfig.patch.agents.list[0].tools.elevated.enabled: turns elevated tools on");
    expect(p).toContain("openclawConfig.patch.agents.list[1].sandbox.mode: switches the sandbox off for an agent");
    // Off stays allowed where it weakens nothing.
    expect(problems({ patch: { agents: { list: [{ id: "a", tools: { elevated: { enabled: false } } }] } } })).toBe("");
  });

  it("accept agents with OpenClaw's ids, and refuse an id OpenClaw would rename or that reads as an option", () => {
    expect(problems({ patch: { agents: { entries: { main: { default: true }, "research-2": {} } } } })).toBe("");
    for (const id of ["--force", "Research", "with space", "-x", "a".repeat(65)])
      expect(problems({ patch: { agents: { entries: { [id]: {} } } } }), id).toContain(
        `openclawConfig.patch.agents.entries.${id}: is not an OpenClaw agent id`,
      );
  });

  it("refuse a credential written as plain text, without echoing it", () => {
    const p = problems({ patch: { channels: { mattermost: { botToken: MATTERMOST_TOKEN } } } });
    expect(p).toContain("openclawConfig.patch.channels.mattermost.botToken: looks like a secret written as plain text");
    expect(p).not.toContain(MATTERMOST_TOKEN);
    expect(problems({ patch: { models: { providers: { x: { apiKey: "sk-plain" } } } } })).toContain("apiKey");
  });

  it("refuse a secret reference without its secret, and a secret nobody refers to", () => {
    expect(problems({ patch: { channels: { mattermost: { botToken: { $secret: "nope" } } } } })).toContain(
      'openclawConfig.patch.channels.mattermost.botToken: refers to the secret "nope", which openclawConfig.secrets does not hold',
    );
    expect(problems({ patch: {}, secrets: { unused: "x" } })).toContain(
      "openclawConfig.secrets.unused: is not referred to by the patch",
    );
    expect(problems({ patch: {}, secrets: { "no spaces": "x" } as never })).toContain("is not a secret name");
  });

  it("refuse what is not plain JSON, or would change meaning on the host", () => {
    expect(problems({ patch: pulumi.output({}) as never })).toContain(
      "openclawConfig.patch: is an Output or a promise",
    );
    expect(problems({ patch: { messages: pulumi.output("x") } })).toContain(
      "openclawConfig.patch.messages: is an Output",
    );
    expect(problems({ patch: { messages: { ackReaction: null } } })).toContain("reads as 'delete this key'");
    expect(problems({ patch: { a: Number.NaN } })).toContain("openclawConfig.patch.a: is not a finite number");
    expect(problems({ patch: { a: () => 1 } })).toContain("is a function, which JSON cannot hold");
    expect(problems({ patch: { $include: "./other.json5" } })).toContain("openclawConfig.patch.$include: is not a key");
    expect(problems({ patch: JSON.parse('{"__proto__": {"x": 1}}') })).toContain("__proto__: is not a key");
    expect(problems({ patch: { a: "x".repeat(70_000) } })).toContain("bytes as JSON");
    let deep: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < 20; i++) deep = { d: deep };
    expect(problems({ patch: deep })).toContain("nests deeper than 16 levels");
  });

  it("every owned key has its argument in the message, and is what the library's own parts write", () => {
    const r = renderDeployment(
      {
        ...base,
        telegram: { botToken: "123456789:SENTINELtelegramBotTokenABCDEFGHIJKL", userId: "1" },
        discord: DISCORD,
        slack: SLACK,
        whatsapp: { allowFrom: ["+4915123456789"] },
      },
      RENDER_SECRETS,
    );
    const at = (keys: string[]) =>
      keys.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], r.openclawConfig);
    for (const o of OWNED_CONFIG_KEYS) expect(at(o.path.split(".")), o.path).toBeDefined();
  });
});

describe("the apply-openclaw-config step", () => {
  it("carries the patch on stdin with the secret in place; the plan and the command show only the placeholder", () => {
    const settings = { patch: MATTERMOST.patch, port: 18789 };
    const real = renderApplyConfigStep(settings, { mattermostToken: MATTERMOST_TOKEN });
    const shown = renderApplyConfigStep(settings, {});
    expect(real.secret).toBe(true);
    expect(JSON.parse(real.stdin!).channels.mattermost.botToken).toBe(MATTERMOST_TOKEN);
    expect(JSON.parse(shown.stdin!).channels.mattermost.botToken).toBe(
      "<secret:openclawConfig.secrets.mattermostToken>",
    );
    for (const text of [real.command, JSON.stringify(real.environment), JSON.stringify(shown)])
      expect(text).not.toContain(MATTERMOST_TOKEN);
    expect(renderConfigPatch(settings, {})).toMatchObject({ messages: { ackReaction: "👀" } });
  });

  it("is in every deployment, last before verify, with `{}` when no patch is given", () => {
    const plain = renderDeployment(base, RENDER_SECRETS);
    const names = plain.steps.map((s) => s.name);
    expect(names.slice(-2)).toEqual(["apply-openclaw-config", "verify"]);
    expect(plain.steps.at(-2)!.stdin).toBe("{}\n");
    const withPatch = renderDeployment({ ...base, openclawConfig: MATTERMOST }, RENDER_SECRETS);
    expect(withPatch.openclawConfig).toMatchObject({ messages: { ackReaction: "👀" }, gateway: { bind: "loopback" } });
  });

  it("refuses an unknown key in the block itself", () => {
    expect(() =>
      renderDeployment({ ...base, openclawConfig: { ...MATTERMOST, secret: {} } as never }, RENDER_SECRETS),
    ).toThrow(/openclawConfig\.secret: is not an argument this library knows; expected "secrets"/);
  });
});
