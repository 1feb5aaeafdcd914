/**
 * Renders the WhatsApp steps: its plugin, the channel's config part (no
 * secret: the link is made by QR code on the host), and their removal when
 * WhatsApp is switched off. Pure.
 */
import { OFFICIAL_PLUGINS } from "../remote/plugin.js";
import {
  pluginChannelRemoval,
  renderPluginChannelSteps,
  type PluginChannelSettings,
} from "../remote/plugin-channel.js";
import type { RemoteStep, StepSpec } from "../remote/step.js";
import { renderWhatsAppConfig, type WhatsAppConfigSettings } from "./whatsapp-config.js";

export interface WhatsAppSettings extends WhatsAppConfigSettings, PluginChannelSettings {}

const WHATSAPP = { plugin: OFFICIAL_PLUGINS.whatsapp, label: "WhatsApp" };

/**
 * Where OpenClaw keeps the WhatsApp link (the linked device's keys), under the
 * admin user's home: the plugin's auth directory under OpenClaw's credentials.
 */
export const WHATSAPP_LINK_STATE = ".openclaw/credentials/whatsapp";

/** The command that links the account, run once on the host over SSH. */
export const WHATSAPP_LOGIN_COMMAND = "openclaw channels login --channel whatsapp";

export interface WhatsAppSteps {
  readonly installWhatsappPlugin: RemoteStep;
  readonly configureWhatsapp: RemoteStep;
}

export function renderWhatsAppSteps(s: WhatsAppSettings): WhatsAppSteps {
  const steps = renderPluginChannelSteps(WHATSAPP, s, {
    // No count or number here: the description is command text, and these are arguments.
    description:
      "enable the WhatsApp channel for the declared phone numbers only (allowlist), direct chats only; keep its link; restart on change",
    patch: renderWhatsAppConfig({ allowFrom: s.allowFrom }),
  });
  return { installWhatsappPlugin: steps.install, configureWhatsapp: steps.configure };
}

/**
 * WhatsApp's steps: its plugin (OpenClaw ships WhatsApp as a package of its
 * own), then the channel. Its part holds no secret (the account is linked on
 * the host itself), but it travels on stdin as every channel's part does, so
 * its step is handled as the others are: output kept out of logs and state.
 */
export const WHATSAPP_STEPS: StepSpec<WhatsAppSettings, Record<string, never>, keyof WhatsAppSteps> = {
  render: (s) => renderWhatsAppSteps(s),
  order: ["installWhatsappPlugin", "configureWhatsapp"],
  placeholders: {},
  secretSteps: ["configureWhatsapp"],
};

/**
 * With WhatsApp off: its config part goes, then its plugin, then the link
 * (the linked device's keys are a credential for the user's account; the
 * phone lists the device until it is removed there too).
 */
export const WHATSAPP_REMOVAL = pluginChannelRemoval("removeWhatsapp", WHATSAPP, [WHATSAPP_LINK_STATE]);
