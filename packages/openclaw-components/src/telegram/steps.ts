/**
 * Renders the Telegram steps: the channel config (secret: the bot token), and
 * for `TelegramSchedules` on its own the declarative schedule sync too. Pure.
 */
import { renderChannelStep } from "../remote/channel.js";
import type { RemoteStep, StepSpec } from "../remote/step.js";
import { renderRemovalStep } from "../remote/removal.js";
import { renderDeclaredJobs, type Schedule } from "../schedules/schedules.js";
import { renderSyncStep, SYNC_DESCRIPTION } from "../schedules/steps.js";
import { renderTelegramConfig, type TelegramConfigSecrets } from "./telegram-config.js";

/** The Telegram channel's settings (the bot token travels apart). */
export interface TelegramChannelSettings {
  readonly userId: string;
  readonly apiRoot?: string;
  readonly port: number;
}

/** `TelegramSchedules`' settings: the channel's and the jobs that report there. */
export interface TelegramSettings extends TelegramChannelSettings {
  readonly timezone: string;
  readonly schedules: readonly Schedule[];
}

export interface TelegramChannelSteps {
  readonly configureTelegram: RemoteStep;
}

export interface TelegramSteps extends TelegramChannelSteps {
  readonly syncSchedules: RemoteStep;
}

export const TELEGRAM_SECRET_PLACEHOLDERS: TelegramConfigSecrets = { botToken: "<secret:telegram.botToken>" };

export function renderTelegramChannelSteps(
  s: TelegramChannelSettings,
  secrets: TelegramConfigSecrets,
): TelegramChannelSteps {
  return {
    configureTelegram: renderChannelStep({
      channel: "telegram",
      description: "enable the Telegram channel for the declared user only (allowlist); restart on change",
      patch: renderTelegramConfig({ userId: s.userId, ...(s.apiRoot ? { apiRoot: s.apiRoot } : {}) }, secrets),
      port: s.port,
    }),
  };
}

export function renderTelegramSteps(s: TelegramSettings, secrets: TelegramConfigSecrets): TelegramSteps {
  const jobs = renderDeclaredJobs(s.schedules, {
    timezone: s.timezone,
    delivery: { channel: "telegram", to: s.userId },
  });
  return {
    ...renderTelegramChannelSteps(s, secrets),
    syncSchedules: renderSyncStep("sync-schedules", SYNC_DESCRIPTION, jobs, s.port),
  };
}

/** The Telegram channel's one step (the bot token on stdin). */
export const TELEGRAM_CHANNEL_STEPS: StepSpec<
  TelegramChannelSettings,
  TelegramConfigSecrets,
  keyof TelegramChannelSteps
> = {
  render: renderTelegramChannelSteps,
  order: ["configureTelegram"],
  placeholders: TELEGRAM_SECRET_PLACEHOLDERS,
  secretSteps: ["configureTelegram"],
};

/** `TelegramSchedules`' steps: the channel (the bot token on stdin), then the schedule sync. */
export const TELEGRAM_STEPS: StepSpec<TelegramSettings, TelegramConfigSecrets, keyof TelegramSteps> = {
  render: renderTelegramSteps,
  order: ["configureTelegram", "syncSchedules"],
  placeholders: TELEGRAM_SECRET_PLACEHOLDERS,
  secretSteps: ["configureTelegram"],
};

/**
 * With Telegram off: the channel's config part goes, so the bot stops. The
 * jobs are the schedule sync's (with none declared it removes the library's).
 */
export const TELEGRAM_REMOVAL: StepSpec<{ readonly port: number }, Record<string, never>, "removeTelegram"> = {
  render: (s) => ({
    removeTelegram: renderRemovalStep(
      {
        name: "remove-telegram",
        feature: "Telegram",
        description: "Telegram off: remove the channel's config part, so the bot stops; restart the gateway on change",
        configPaths: ["channels.telegram"],
        markers: ["config-telegram"],
      },
      s.port,
    ),
  }),
  order: ["removeTelegram"],
  placeholders: {},
};
