// Host tier: what the test host reaches beyond the package registries, served
// on the test network's public side (run as a child process of the test so a
// blocking call in the test never stalls the host's requests):
//  - GET /dist/v<version>/node-v<version>-linux-<arch>.tar.gz: the Node
//    archive (nodeRuntime.distBaseUrl = http://<addr>:<port>/dist);
//  - /bot<token>/<method>: a fake Telegram Bot API (telegram.apiRoot =
//    http://<addr>:<port>): every method answers {ok: true}, getUpdates is a
//    short empty long-poll.
// Each request is appended to <log> as one JSON line {t, method, path, kind}
// with the bot token cut out of the path. Prints "listening <port>" when ready.
// Usage: node fake-services.mjs <address> <dist-dir> <log>
import { createReadStream, appendFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { join, normalize } from "node:path";
import { setTimeout } from "node:timers";

const [address, distDir, logFile] = process.argv.slice(2);
if (!address || !distDir || !logFile) {
  console.error("usage: node fake-services.mjs <address> <dist-dir> <log>");
  process.exit(2);
}

const BOT = { id: 123456789, is_bot: true, first_name: "OpenClaw host tier", username: "openclaw_host_tier_bot" };

function botResult(method, body) {
  const now = Math.floor(Date.now() / 1000);
  let chatId = 1;
  try {
    chatId = JSON.parse(body).chat_id ?? 1;
  } catch {
    // form-encoded or empty body
  }
  switch (method) {
    case "getMe":
      return { ...BOT, can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
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

function record(entry) {
  appendFileSync(logFile, `${JSON.stringify({ t: Date.now(), ...entry })}\n`);
}

const server = createServer((req, res) => {
  const path = (req.url ?? "/").split("?")[0];
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    if (path.startsWith("/dist/")) {
      const file = join(distDir, normalize(path.slice("/dist/".length)).replace(/^(\.\.(\/|$))+/, ""));
      let size;
      try {
        size = statSync(file).isFile() ? statSync(file).size : -1;
      } catch {
        size = -1;
      }
      record({ kind: "dist", method: req.method, path, status: size >= 0 ? 200 : 404 });
      if (size < 0) {
        res.writeHead(404).end("not found\n");
        return;
      }
      res.writeHead(200, { "content-type": "application/gzip", "content-length": String(size) });
      createReadStream(file).pipe(res);
      return;
    }
    const bot = /^\/bot[^/]+\/([A-Za-z]+)$/.exec(path);
    if (bot) {
      const method = bot[1];
      record({ kind: "bot", method, path: `/bot<token>/${method}` });
      const answer = () => {
        if (res.writableEnded || res.destroyed) return;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ ok: true, result: botResult(method, body) }));
      };
      if (method === "getUpdates") setTimeout(answer, 500).unref();
      else answer();
      return;
    }
    record({ kind: "other", method: req.method, path: path.replace(/\/bot[^/]+\//, "/bot<token>/") });
    res.writeHead(404).end("not found\n");
  });
});

process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
server.listen(0, address, () => {
  const a = server.address();
  console.log(`listening ${typeof a === "object" && a ? a.port : 0}`);
});
