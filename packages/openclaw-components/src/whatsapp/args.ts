import type * as pulumi from "@pulumi/pulumi";
import type { Unwrap } from "@pulumi/pulumi";
import type { GatewayFacts } from "../gateway/args.js";
import type { Gateway } from "../gateway/gateway.js";
import { E164_NUMBER, whole } from "../validate/chat-ids.js";
import { plainIdList } from "../validate/id-list.js";
import { argKeys } from "../validate/known-keys.js";
import type { Rule } from "../validate/rules.js";
import type { ArgValidator } from "../validate/validator.js";
import type { WhatsAppSettings } from "./steps.js";

/** The `whatsapp` block of `OpenClawDeploymentArgs`. */
export interface WhatsAppOptions {
  /**
   * Phone numbers in E.164 form (`+` and the country code, no spaces), e.g.
   * `+4915123456789`: the only senders the agent answers, in direct chats
   * (group chats stay off). The account itself is linked once on the host,
   * by QR code: `openclaw channels login --channel whatsapp` over SSH.
   */
  allowFrom: string[];
}

export interface WhatsAppChannelArgs extends WhatsAppOptions {
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

export const WHATSAPP_KEYS = argKeys<WhatsAppOptions>({ allowFrom: true });
/** Every key of `WhatsAppChannelArgs`, for the component used on its own. */
export const WHATSAPP_CHANNEL_KEYS = argKeys<WhatsAppChannelArgs>({
  allowFrom: true,
  connectionHost: true,
  runAfter: true,
  gateway: true,
});

/** Keeps the config part and its step's stdin small. */
const MAX_NUMBERS = 100;

const phoneNumber: Rule<unknown> = (v) =>
  typeof v === "string" && whole(E164_NUMBER).test(v)
    ? undefined
    : {
        problem: "is not a phone number in E.164 form",
        expected: '"+", the country code and the number, digits only, e.g. "+4915123456789"',
      };

/**
 * Checks WhatsApp's arguments into `v` (paths under `prefix`). The numbers
 * must be plain values: they shape the config.
 */
export function resolveWhatsAppArgs(args: WhatsAppOptions, v: ArgValidator, prefix = "") {
  return {
    allowFrom: plainIdList(args.allowFrom, `${prefix}allowFrom`, phoneNumber, v, {
      required: true,
      max: MAX_NUMBERS,
      example: '["+4915123456789"]',
    }),
  };
}

/** WhatsApp's settings, from its resolved arguments and the gateway. */
export function whatsAppSettings(
  r: Unwrap<ReturnType<typeof resolveWhatsAppArgs>>,
  gw: GatewayFacts,
): WhatsAppSettings {
  return { allowFrom: r.allowFrom, port: gw.port, pluginVersion: gw.openclawVersion };
}
