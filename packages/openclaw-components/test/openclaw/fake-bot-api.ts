/**
 * The shared stand-in for Telegram's Bot API (../lib/fake-bot-api.mjs) served
 * in-process on loopback, so a gateway with a bot token starts its Telegram
 * channel (and shuts it down again) without the internet. Records which
 * methods were called and what was sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { answerBotApi, botApiMethod } from "../lib/fake-bot-api.mjs";

export interface FakeBotApi {
  /** Base URL for `channels.telegram.apiRoot`, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Calls per Bot API method, in first-call order. */
  readonly calls: Map<string, number>;
  /** Bodies of the sendMessage calls (JSON text). */
  readonly sentMessages: string[];
  close(): Promise<void>;
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
      const [path, query = ""] = (req.url ?? "").split("?");
      const method = botApiMethod(path!);
      if (!method) {
        res.writeHead(404).end("not found\n");
        return;
      }
      calls.set(method, (calls.get(method) ?? 0) + 1);
      if (method === "sendMessage") sentMessages.push(body);
      const timer = answerBotApi(res, method, body, query);
      if (timer) {
        pending.add(timer);
        res.once("close", () => pending.delete(timer));
      }
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
