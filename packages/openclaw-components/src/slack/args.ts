import type * as pulumi from "@pulumi/pulumi";
import type { Unwrap } from "@pulumi/pulumi";
import type { GatewayFacts } from "../gateway/args.js";
import type { Gateway } from "../gateway/gateway.js";
import { SLACK_CHANNEL_ID, SLACK_MEMBER_ID, whole } from "../validate/chat-ids.js";
import { plainBoolean, plainEntryList, plainIdList } from "../validate/id-list.js";
import { argKeys } from "../validate/known-keys.js";
import type { Rule } from "../validate/rules.js";
import type { ArgValidator } from "../validate/validator.js";
import type { SlackAllowedChannel } from "./slack-config.js";
import type { SlackSettings } from "./steps.js";

/** One Slack channel the bot answers in. */
export interface SlackAllowedChannelOptions {
  /** The channel's id (channel details → About → Channel ID), e.g. `C0123ABCDE`; `G…` for an old private channel. */
  id: string;
  /**
   * Answer in the channel only when the bot is mentioned.
   * @default true
   */
  requireMention?: boolean;
}

/** The `slack` block of `OpenClawDeploymentArgs`. */
export interface SlackOptions {
  /**
   * Bot token (`xoxb-…`, the app's OAuth & Permissions page), secret. Reaches
   * the host on stdin only. `OpenClawDeployment` sets Slack up only when it
   * is given (so `cfg.getSecret("slackBotToken")` can switch it off).
   */
  botToken?: pulumi.Input<string>;
  /**
   * App-level token (`xapp-…`, Basic Information → App-Level Tokens, scope
   * `connections:write`), secret: Socket Mode's connection, so the host needs
   * no inbound URL. Reaches the host on stdin only. Required with `botToken`.
   */
  appToken?: pulumi.Input<string>;
  /**
   * Slack member ids (profile → ⋯ → Copy member ID), e.g. `U0123ABCDE`: the
   * only senders the bot accepts, in DMs and in channels.
   */
  userIds: string[];
  /**
   * Channels the bot answers in, besides DMs (it must be invited to each).
   * @default unset: DMs only
   */
  channels?: SlackAllowedChannelOptions[];
}

export interface SlackChannelArgs extends SlackOptions {
  /** Bot token (`xoxb-…`, secret). Reaches the host on stdin only. */
  botToken: pulumi.Input<string>;
  /** App-level token (`xapp-…`, secret) for Socket Mode. Reaches the host on stdin only. */
  appToken: pulumi.Input<string>;
  /**
   * Overrides the address this component's steps connect to.
   * @default the gateway's connection host
   */
  connectionHost?: pulumi.Input<string>;
  /**
   * Resources this component's steps wait for, e.g. another component's last
   * step so that restarts of the gateway never overlap.
   * @default the gateway's last step
   */
  runAfter?: pulumi.Resource[];
  /** The gateway the channel belongs to. */
  gateway: Gateway;
}

export const SLACK_KEYS = argKeys<SlackOptions>({ botToken: true, appToken: true, userIds: true, channels: true });
/** Every key of `SlackChannelArgs`, for the component used on its own. */
export const SLACK_CHANNEL_KEYS = argKeys<SlackChannelArgs>({
  botToken: true,
  appToken: true,
  userIds: true,
  channels: true,
  connectionHost: true,
  runAfter: true,
  gateway: true,
});
const CHANNEL_KEYS = argKeys<SlackAllowedChannelOptions>({ id: true, requireMention: true });

/** Limits that keep the config part and its step's stdin small. */
const MAX_USERS = 100;
const MAX_CHANNELS = 100;

const slackId =
  (what: string, form: string, example: string, where: string): Rule<unknown> =>
  (v) =>
    typeof v === "string" && whole(form).test(v)
      ? undefined
      : {
          problem: `is not a Slack ${what} id`,
          expected: `an id such as "${example}" (${where})`,
        };
const userId = slackId("member", SLACK_MEMBER_ID, "U0123ABCDE", "profile → ⋯ → Copy member ID");
const channelId = slackId("channel", SLACK_CHANNEL_ID, "C0123ABCDE", "channel details → About → Channel ID");

// Slack's tokens say their kind in their prefix; the two are easily swapped.
const token =
  (prefix: "xoxb" | "xapp", other: "xoxb" | "xapp", what: string, where: string): Rule<string> =>
  (v) =>
    new RegExp(`^${prefix}-[A-Za-z0-9-]{20,}$`).test(v)
      ? undefined
      : {
          problem: v.startsWith(`${other}-`)
            ? `is the other kind of Slack token (${other}-…)`
            : `is not a Slack ${what}`,
          expected: `the ${what} (${prefix}-…, ${where})`,
        };
const botToken = token("xoxb", "xapp", "bot token", "OAuth & Permissions → Bot User OAuth Token");
const appToken = token("xapp", "xoxb", "app-level token", "Basic Information → App-Level Tokens, connections:write");

/**
 * Checks Slack's arguments into `v` (paths under `prefix`) and fills in
 * defaults. The ids and channels must be plain values: they shape the config.
 */
export function resolveSlackArgs(
  args: SlackOptions & { botToken: pulumi.Input<string> },
  v: ArgValidator,
  prefix = "",
) {
  const userIds = plainIdList(args.userIds, `${prefix}userIds`, userId, v, {
    required: true,
    max: MAX_USERS,
    example: '["U0123ABCDE"]',
  });
  const channels = plainEntryList<SlackAllowedChannel>(args.channels ?? [], `${prefix}channels`, v, {
    what: "channel",
    max: MAX_CHANNELS,
    example: '{ id: "C0123ABCDE", requireMention?: true }',
    keys: CHANNEL_KEYS,
    id: channelId,
    entry: (c, p) => ({
      id: String(c.id),
      requireMention: plainBoolean(c.requireMention, true, `${p}.requireMention`, v),
    }),
  });
  if (args.appToken === undefined)
    v.add({
      path: `${prefix}appToken`,
      problem: "is missing",
      expected: "the app-level token (xapp-…) beside the bot token: Socket Mode needs both",
    });
  return {
    botToken: v.checkSecret(`${prefix}botToken`, args.botToken, botToken),
    appToken: args.appToken === undefined ? "" : v.checkSecret(`${prefix}appToken`, args.appToken, appToken),
    userIds,
    channels,
  };
}

/** Slack's settings (everything but the tokens), from its resolved arguments and the gateway. */
export function slackSettings(
  r: Unwrap<Omit<ReturnType<typeof resolveSlackArgs>, "botToken" | "appToken">>,
  gw: GatewayFacts,
): SlackSettings {
  return { userIds: r.userIds, channels: r.channels, port: gw.port, pluginVersion: gw.openclawVersion };
}
