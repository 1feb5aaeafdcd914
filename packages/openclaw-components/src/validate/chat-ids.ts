/**
 * The id forms of the chat services the library configures, as regular
 * expression sources: shared by each channel's arguments and by a scheduled
 * job's delivery target, which wraps them (`user:<id>`, `channel:<id>`).
 */

/** A Telegram id: digits (a user's; a group's carries a leading `-` in a chat id). */
export const TELEGRAM_ID = "[1-9]\\d{0,19}";
/** A Discord id (a snowflake): 17 to 20 digits; the 64-bit bound is checked apart. */
export const DISCORD_ID = "[1-9]\\d{16,19}";
/** A Slack member id: `U` or `W`, then upper-case letters and digits. */
export const SLACK_MEMBER_ID = "[UW][A-Z0-9]{6,20}";
/** A Slack channel id: `C`, or `G` for an old private channel, then upper-case letters and digits. */
export const SLACK_CHANNEL_ID = "[CG][A-Z0-9]{6,20}";

/** A phone number in E.164 form, as WhatsApp's allowlist takes it: `+`, a country code, at most 15 digits. */
export const E164_NUMBER = "\\+[1-9]\\d{6,14}";

/** A RegExp that matches a whole string of `form`. */
export function whole(form: string): RegExp {
  return new RegExp(`^(?:${form})$`);
}
