/**
 * A tiny stand-in for Telegram's Bot API on loopback, so a gateway with a bot
 * token starts its Telegram channel (and shuts it down again) without the
 * internet: every method answers `{ok: true, result}`; getUpdates answers a
 * long poll quickly with no updates. Records which methods were called.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface FakeBotApi {
  /** Base URL for `channels.telegram.apiRoot`, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Calls per Bot API method, in first-call order. */
  readonly calls: Map<string, number>;
  /** Bodies of the sendMessage calls (JSON text). */
  readonly sentMessages: string[];
  close(): Promise<void>;
}

export const FAKE_BOT = { id: 123456789, is_bot: true, first_name: "OpenClaw tier", username: "openclaw_tier_bot" } as const;

function resultFor(method: string, body: string): unknown {
  const now = Math.floor(Date.now() / 1000);
  let chatId: unknown = 1;
  try {
    chatId = (JSON.parse(body) as { chat_id?: unknown }).chat_id ?? 1;
  } catch {
    // form-encoded or empty body
  }
  switch (method) {
    case "getMe":
      return { ...FAKE_BOT, can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
    case "getUpdates":
      return [];
    case "getWebhookInfo":
      return { url: "", has_custom_certificate: false, pending_update_count: 0 };
    case "getMyCommands":
      return [];
    case "getChat":
      return { id: chatId, type: "private", first_name: "Tier" };
    case "sendMessage":
    case "editMessageText":
      return { message_id: 1, date: now, chat: { id: chatId, type: "private" }, text: "" };
    default:
      return true;
  }
}

export function startFakeBotApi(): Promise<FakeBotApi> {
  const calls = new Map<string, number>();
  const sentMessages: string[] = [];
  const pending = new Set<NodeJS.Timeout>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      // /bot<token>/<method>
      const method = (req.url ?? "").split("?")[0]!.split("/").pop() ?? "";
      calls.set(method, (calls.get(method) ?? 0) + 1);
      if (method === "sendMessage") sentMessages.push(body);
      const answer = () => {
        if (res.writableEnded || res.destroyed) return;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ ok: true, result: resultFor(method, body) }));
      };
      if (method === "getUpdates") {
        // A long poll with nothing to deliver: answer soon, empty.
        const t = setTimeout(() => {
          pending.delete(t);
          answer();
        }, 300);
        pending.add(t);
      } else answer();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        calls,
        sentMessages,
        close: () =>
          new Promise<void>((res) => {
            for (const t of pending) clearTimeout(t);
            pending.clear();
            server.closeAllConnections();
            server.close(() => res());
          }),
      });
    });
  });
}
