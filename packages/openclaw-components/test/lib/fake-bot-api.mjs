// A stand-in for Telegram's Bot API, shared by the OpenClaw tier (an
// in-process server on loopback, openclaw/fake-bot-api.ts) and the host tier
// (a child process on the test network, host/fake-services.mjs): every method
// answers {ok: true, result} with a plausible result; getUpdates is a long
// poll that delivers nothing, held for the timeout it asks for, as Telegram
// holds it (OpenClaw asks 0 s first, then 30 s). Plain JavaScript so the host tier's child
// process runs it with Node alone; types in fake-bot-api.d.mts.
import { clearTimeout, setTimeout } from "node:timers";
import { URLSearchParams } from "node:url";

/** The bot getMe describes. */
export const FAKE_BOT = Object.freeze({
  id: 123456789,
  is_bot: true,
  first_name: "OpenClaw test bot",
  username: "openclaw_test_bot",
});

/** The Bot API method a request path names (`/bot<token>/<method>`), or undefined. */
export function botApiMethod(path) {
  return /^\/bot[^/]+\/([A-Za-z]+)$/.exec(path)?.[1];
}

/** The `result` a Bot API method answers with, given the request body (JSON or form-encoded). */
export function botApiResult(method, body) {
  const now = Math.floor(Date.now() / 1000);
  let chatId = 1;
  try {
    chatId = JSON.parse(body).chat_id ?? 1;
  } catch {
    // form-encoded or empty body
  }
  switch (method) {
    case "getMe":
      return {
        ...FAKE_BOT,
        can_join_groups: false,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
      };
    case "getUpdates":
    case "getMyCommands":
      return [];
    case "getWebhookInfo":
      return { url: "", has_custom_certificate: false, pending_update_count: 0 };
    case "getChat":
      return { id: chatId, type: "private", first_name: "Tier" };
    case "sendMessage":
    case "editMessageText":
      return { message_id: 1, date: now, chat: { id: chatId, type: "private" }, text: "" };
    default:
      return true;
  }
}

/**
 * The seconds a getUpdates request asks the server to hold it (its `timeout`,
 * in the JSON body, a form body or the query; 0 when absent, as Telegram
 * defaults), at most 60 so that no request can hold a test for long.
 */
export function longPollSeconds(body, query = "") {
  let timeout;
  try {
    timeout = JSON.parse(body).timeout;
  } catch {
    timeout = new URLSearchParams(body).get("timeout") ?? undefined;
  }
  timeout ??= new URLSearchParams(query).get("timeout") ?? 0;
  const seconds = Number(timeout);
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), 60) : 0;
}

/**
 * Answers one Bot API request whose body has been read: at once, or for
 * getUpdates once its long poll's timeout has passed with nothing to deliver,
 * as Telegram does: a stand-in that answers sooner makes the gateway poll far
 * more often than it does against Telegram. Returns the pending timer, if any, so a
 * server can cancel it when it closes; a client that hangs up cancels it too.
 */
export function answerBotApi(res, method, body, query = "") {
  const answer = () => {
    if (res.writableEnded || res.destroyed) return;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ ok: true, result: botApiResult(method, body) }));
  };
  if (method !== "getUpdates") {
    answer();
    return undefined;
  }
  const timer = setTimeout(answer, longPollSeconds(body, query) * 1000);
  timer.unref();
  res.once("close", () => clearTimeout(timer));
  return timer;
}
