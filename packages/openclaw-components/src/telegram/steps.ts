/**
 * Renders the Telegram steps: the channel config (secret: the bot token) and
 * the declarative schedule sync. Pure.
 */
import { configText } from "../gateway/openclaw-config.js";
import { renderStep, type RemoteStep, type StepSpec } from "../remote/step.js";
import { DECLARATION_KEY_PREFIX, renderDeclaredJobs, type Schedule } from "./schedules.js";
import configureTelegramScript from "./scripts/configure-telegram.sh";
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
  const port = String(s.port);
  const jobs = renderDeclaredJobs(s.schedules, { userId: s.userId, timezone: s.timezone });
  return {
    configureTelegram: renderStep({
      name: "configure-telegram",
      description: "enable the Telegram channel for the declared user only (allowlist); restart on change",
      script: configureTelegramScript,
      environment: { OPENCLAW_GATEWAY_PORT: port },
      stdin: configText(
        renderTelegramConfig({ userId: s.userId, ...(s.apiRoot ? { apiRoot: s.apiRoot } : {}) }, secrets),
      ),
      secret: true,
    }),
    syncSchedules: renderStep({
      name: "sync-schedules",
      description: `make the gateway's scheduled jobs equal to the declared ones (owned jobs carry the "${DECLARATION_KEY_PREFIX}" key prefix)`,
      script: syncSchedulesScript,
      environment: {
        OPENCLAW_SCHEDULES: JSON.stringify(jobs),
        OPENCLAW_SCHEDULE_PREFIX: DECLARATION_KEY_PREFIX,
        OPENCLAW_GATEWAY_PORT: port,
      },
    }),
  };
}

/** Telegram's steps: the channel (the bot token on stdin), then the schedule sync. */
export const TELEGRAM_STEPS: StepSpec<TelegramSettings, TelegramConfigSecrets, keyof TelegramSteps> = {
  render: renderTelegramSteps,
  order: ["configureTelegram", "syncSchedules"],
  placeholders: TELEGRAM_SECRET_PLACEHOLDERS,
  secretSteps: ["configureTelegram"],
};
