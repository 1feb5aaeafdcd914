import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { RENDER_SECRETS, SENTINELS, SLACK, base } from "../../test/fixtures.js";
import { renderDeployment } from "../render.js";
import { ArgValidator } from "../validate/validator.js";
import { resolveSlackArgs, type SlackOptions } from "./args.js";
import { renderSlackConfig } from "./slack-config.js";
import { SLACK_REMOVAL, SLACK_SECRET_PLACEHOLDERS, renderSlackSteps } from "./steps.js";

const USER = "U0123ABCDE";
const CHANNEL = "C0123ABCDE";
const TOKENS = { botToken: SENTINELS.slackBotToken, appToken: SENTINELS.slackAppToken };

function problems(o: SlackOptions): string[] {
  const v = new ArgValidator("OpenClawDeployment");
  resolveSlackArgs({ ...o, botToken: o.botToken ?? SENTINELS.slackBotToken }, v, "slack.");
  try {
    v.throwIfInvalid();
    return [];
  } catch (e) {
    return (e as Error).message.split("\n").slice(1);
  }
}

describe("slack: the config part", () => {
  it("Socket Mode, DMs from the listed members only, and no channel when none is listed", () => {
    expect(renderSlackConfig({ userIds: [USER], channels: [] }, { botToken: "b", appToken: "a" })).toEqual({
      channels: {
        slack: {
          enabled: true,
          mode: "socket",
          botToken: "b",
          appToken: "a",
          allowFrom: [USER],
          dmPolicy: "allowlist",
          groupPolicy: "disabled",
        },
      },
    });
  });

  it("allows the listed channels, by id, to the same members", () => {
    const c = renderSlackConfig(
      {
        userIds: [USER, "W0123ABCDE"],
        channels: [
          { id: CHANNEL, requireMention: true },
          { id: "G0123ABCDE", requireMention: false },
        ],
      },
      { botToken: "b", appToken: "a" },
    ) as { channels: { slack: Record<string, unknown> } };
    expect(c.channels.slack.groupPolicy).toBe("allowlist");
    expect(c.channels.slack.channels).toEqual({
      [CHANNEL]: { enabled: true, requireMention: true, users: [USER, "W0123ABCDE"] },
      G0123ABCDE: { enabled: true, requireMention: false, users: [USER, "W0123ABCDE"] },
    });
  });
});

describe("slack: its steps", () => {
  const settings = { userIds: [USER], channels: [], port: 18789, pluginVersion: "2026.9.6" };

  it("installs the plugin at OpenClaw's version, then applies the part with both tokens on stdin only", () => {
    const real = renderSlackSteps(settings, TOKENS);
    expect(real.installSlackPlugin.name).toBe("install-slack-plugin");
    expect(real.installSlackPlugin.environment).toEqual({
      OPENCLAW_PLUGIN_ID: "slack",
      OPENCLAW_PLUGIN_PACKAGE: "@openclaw/slack",
      OPENCLAW_PLUGIN_VERSION: "2026.9.6",
      OPENCLAW_GATEWAY_PORT: "18789",
    });
    expect(real.configureSlack.name).toBe("configure-slack");
    expect(real.configureSlack.secret).toBe(true);
    expect(real.configureSlack.environment).toMatchObject({
      OPENCLAW_CHANNEL: "slack",
      OPENCLAW_CHANNEL_REPLACED: '["channels"]',
    });
    const part = JSON.parse(real.configureSlack.stdin!).channels.slack;
    expect([part.botToken, part.appToken]).toEqual([SENTINELS.slackBotToken, SENTINELS.slackAppToken]);
    for (const step of Object.values(real))
      for (const secret of Object.values(TOKENS))
        expect(step.command + step.description + JSON.stringify(step.environment)).not.toContain(secret);
    const shown = JSON.parse(renderSlackSteps(settings, SLACK_SECRET_PLACEHOLDERS).configureSlack.stdin!);
    expect(shown.channels.slack).toMatchObject({
      botToken: "<secret:slack.botToken>",
      appToken: "<secret:slack.appToken>",
    });
  });

  it("switched off, removes the config part, then uninstalls the plugin", () => {
    const { removeSlack } = SLACK_REMOVAL.render({ port: 18789 }, {});
    expect(removeSlack.name).toBe("remove-slack");
    expect(removeSlack.environment).toMatchObject({
      OPENCLAW_REMOVE_FEATURE: "Slack",
      OPENCLAW_REMOVE_CONFIG_PATHS: '["channels.slack"]',
      OPENCLAW_REMOVE_CONFIG: '{"channels":{"slack":null}}',
      OPENCLAW_REMOVE_PLUGINS: '["slack"]',
      OPENCLAW_REMOVE_MARKERS: '["config-slack"]',
    });
  });
});

describe("slack: refused at construction, naming the argument, never echoing a token", () => {
  it("accepts what a user writes: member ids U… and W…, channel ids C… and G…", () => {
    expect(problems(SLACK)).toEqual([]);
    expect(problems({ ...SLACK, userIds: ["U0123ABCDE", "W0123ABCDEFGH"], channels: [{ id: "G0123ABC" }] })).toEqual(
      [],
    );
  });

  it.each<[string, SlackOptions, RegExp]>([
    ["no member", { ...SLACK, userIds: [] }, /slack\.userIds: is empty/],
    ["a member by name", { ...SLACK, userIds: ["@alice"] }, /slack\.userIds\[0\]: "@alice" is not a Slack member id/],
    ["a lower-case id", { ...SLACK, userIds: ["u0123abcde"] }, /slack\.userIds\[0\]: .*is not a Slack member id/],
    ["a channel id as a member", { ...SLACK, userIds: [CHANNEL] }, /slack\.userIds\[0\]: .*is not a Slack member id/],
    ["a member twice", { ...SLACK, userIds: [USER, USER] }, /slack\.userIds\[1\]: .*repeats an id listed before it/],
    ["an Output for the list", { ...SLACK, userIds: pulumi.output([USER]) as never }, /slack\.userIds: is an Output/],
    [
      "a channel by name",
      { ...SLACK, channels: [{ id: "#general" }] },
      /slack\.channels\[0\]\.id: "#general" is not a Slack channel id/,
    ],
    [
      "a DM's id as a channel",
      { ...SLACK, channels: [{ id: "D0123ABCDE" }] },
      /slack\.channels\[0\]\.id: .*is not a Slack channel id/,
    ],
    [
      "a channel twice",
      { ...SLACK, channels: [{ id: CHANNEL }, { id: CHANNEL }] },
      /slack\.channels\[1\]\.id: is the id of a channel listed before it/,
    ],
    [
      "an unknown key in a channel",
      { ...SLACK, channels: [{ id: CHANNEL, users: [USER] } as never] },
      /slack\.channels\[0\]\.users: is not an argument this library knows/,
    ],
    [
      "requireMention as text",
      { ...SLACK, channels: [{ id: CHANNEL, requireMention: "no" as never }] },
      /slack\.channels\[0\]\.requireMention: is not a boolean/,
    ],
    ["channels as one object", { ...SLACK, channels: { id: CHANNEL } as never }, /slack\.channels: is not a list/],
    [
      "no app token",
      { ...SLACK, appToken: undefined },
      /slack\.appToken: is missing; expected the app-level token \(xapp-…\) beside the bot token/,
    ],
  ])("%s", (_label, o, message) => expect(problems(o).join("\n")).toMatch(message));

  it("the two tokens swapped, or of another shape, without echoing either", () => {
    const swapped = problems({ ...SLACK, botToken: SENTINELS.slackAppToken, appToken: SENTINELS.slackBotToken }).join(
      "\n",
    );
    expect(swapped).toMatch(/slack\.botToken: the value is the other kind of Slack token \(xapp-…\)/);
    expect(swapped).toMatch(/slack\.appToken: the value is the other kind of Slack token \(xoxb-…\)/);
    const other = problems({ ...SLACK, botToken: "xoxp-SENTINELuserToken0123456789" }).join("\n");
    expect(other).toMatch(/slack\.botToken: the value is not a Slack bot token; expected the bot token \(xoxb-…/);
    for (const text of [swapped, other])
      for (const secret of [SENTINELS.slackAppToken, SENTINELS.slackBotToken, "xoxp-SENTINELuserToken0123456789"])
        expect(text).not.toContain(secret);
  });

  it("an unknown key in the block, channels.slack in openclawConfig, and Slack without its bot token", () => {
    expect(() => renderDeployment({ ...base, slack: { ...SLACK, dmPolicy: "open" } as never }, RENDER_SECRETS)).toThrow(
      /slack\.dmPolicy: is not an argument this library knows/,
    );
    expect(() =>
      renderDeployment(
        { ...base, openclawConfig: { patch: { channels: { slack: { mode: "http" } } } } },
        RENDER_SECRETS,
      ),
    ).toThrow(/openclawConfig\.patch\.channels\.slack: is channels\.slack, which is set by the slack argument/);
    // No bot token: Slack is off (a stack switches it off by leaving the secret unset), and removed.
    const steps = renderDeployment({ ...base, slack: { ...SLACK, botToken: undefined } }, RENDER_SECRETS).steps;
    expect(steps.map((s) => s.name)).toContain("remove-slack");
    expect(steps.map((s) => s.name)).not.toContain("configure-slack");
  });
});
