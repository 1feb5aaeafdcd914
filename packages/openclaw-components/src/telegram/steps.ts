/**
 * Renders the Telegram steps: the channel config (secret: the bot token) and
 * the declarative schedule sync. Pure.
 */
import { renderChannelStep } from "../remote/channel.js";
import { renderStep, type RemoteStep, type StepSpec } from "../remote/step.js";
import { renderRemovalStep } from "../remote/removal.js";
import { DECLARATION_KEY_PREFIX, renderDeclaredJobs, type DeclaredJob, type Schedule } from "./schedules.js";
import syncSchedulesScript from "./scripts/sync-schedules.sh";
import { renderTelegramConfig, type TelegramConfigSecrets } from "./telegram-config.js";

export interface TelegramSettings {
  readonly userId: string;
  readonly timezone: string;
  readonly schedules: readonly Schedule[];
  readonly apiRoot?: string;
  readonly port: number;
}

export interface TelegramSteps {
  readonly configureTelegram: RemoteStep;
  readonly syncSchedules: RemoteStep;
}

export const TELEGRAM_SECRET_PLACEHOLDERS: TelegramConfigSecrets = { botToken: "<secret:telegram.botToken>" };

export function renderTelegramSteps(s: TelegramSettings, secrets: TelegramConfigSecrets): TelegramSteps {
  const jobs = renderDeclaredJobs(s.schedules, { userId: s.userId, timezone: s.timezone });
  return {
    configureTelegram: renderChannelStep({
      channel: "telegram",
      description: "enable the Telegram channel for the declared user only (allowlist); restart on change",
      patch: renderTelegramConfig({ userId: s.userId, ...(s.apiRoot ? { apiRoot: s.apiRoot } : {}) }, secrets),
      port: s.port,
    }),
    syncSchedules: renderSyncStep(
      "sync-schedules",
      `make the gateway's scheduled jobs equal to the declared ones (owned jobs carry the "${DECLARATION_KEY_PREFIX}" key prefix)`,
      jobs,
      s.port,
    ),
  };
}

function renderSyncStep(name: string, description: string, jobs: readonly DeclaredJob[], port: number): RemoteStep {
  return renderStep({
    name,
    description,
    script: syncSchedulesScript,
    environment: {
      OPENCLAW_SCHEDULES: JSON.stringify(jobs),
      OPENCLAW_SCHEDULE_PREFIX: DECLARATION_KEY_PREFIX,
      OPENCLAW_GATEWAY_PORT: String(port),
    },
  });
}

/** Telegram's steps: the channel (the bot token on stdin), then the schedule sync. */
export const TELEGRAM_STEPS: StepSpec<TelegramSettings, TelegramConfigSecrets, keyof TelegramSteps> = {
  render: renderTelegramSteps,
  order: ["configureTelegram", "syncSchedules"],
  placeholders: TELEGRAM_SECRET_PLACEHOLDERS,
  secretSteps: ["configureTelegram"],
};

/**
 * With Telegram off: the jobs the library owns go (the schedule sync with an
 * empty list, so jobs made by hand stay), then the channel's config part.
 */
export const TELEGRAM_REMOVAL: StepSpec<
  { readonly port: number },
  Record<string, never>,
  "removeSchedules" | "removeTelegram"
> = {
  render: (s) => ({
    removeSchedules: renderSyncStep(
      "remove-schedules",
      `Telegram off: remove the scheduled jobs the library owns (the "${DECLARATION_KEY_PREFIX}" key prefix)`,
      [],
      s.port,
    ),
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
  order: ["removeSchedules", "removeTelegram"],
  placeholders: {},
};
