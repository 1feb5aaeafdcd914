// Host tier: what the test host reaches beyond the package registries, served
// on the test network's public side (run as a child process of the test so a
// blocking call in the test never stalls the host's requests):
//  - GET /dist/v<version>/node-v<version>-linux-<arch>.tar.gz: the Node
//    archive (nodeRuntime.distBaseUrl = http://<addr>:<port>/dist);
//  - /bot<token>/<method>: the shared fake Telegram Bot API
//    (../lib/fake-bot-api.mjs; telegram.apiRoot = http://<addr>:<port>).
// Each request is appended to <log> as one JSON line {t, method, path, kind}
// with the bot token cut out of the path. Prints "listening <port>" when ready.
// Usage: node fake-services.mjs <address> <dist-dir> <log>
import { createReadStream, appendFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { join, normalize } from "node:path";
import { answerBotApi, botApiMethod } from "../lib/fake-bot-api.mjs";

const [address, distDir, logFile] = process.argv.slice(2);
if (!address || !distDir || !logFile) {
  console.error("usage: node fake-services.mjs <address> <dist-dir> <log>");
  process.exit(2);
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
    const method = botApiMethod(path);
    if (method) {
      record({ kind: "bot", method, path: `/bot<token>/${method}` });
      answerBotApi(res, method, body, 500);
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
