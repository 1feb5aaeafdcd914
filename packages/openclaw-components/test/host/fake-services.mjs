// Host tier: what the test host reaches beyond the package registries, served
// on the test network's public side (run as a child process of the test so a
// blocking call in the test never stalls the host's requests):
//  - GET /dist/v<version>/node-v<version>-linux-<arch>.tar.gz: the Node
//    archive (nodeRuntime.distBaseUrl = http://<addr>:<port>/dist);
//  - /bot<token>/<method>: the shared fake Telegram Bot API
//    (../lib/fake-bot-api.mjs; telegram.apiRoot = http://<addr>:<port>);
//  - https://pkgs.tailscale.com (port 443, with a certificate from the test's
//    CA): the files of <www-dir>, Tailscale's apt repository with a stand-in
//    package (build-tailscale-repo.sh).
// Each request is appended to <log> as one JSON line {t, method, path, kind}
// with the bot token cut out of the path. Prints "listening <port>" when ready.
// Usage: node fake-services.mjs <address> <dist-dir> <log> <www-dir> <tls-cert> <tls-key>
import { createReadStream, appendFileSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { join, normalize } from "node:path";
import { answerBotApi, botApiMethod } from "../lib/fake-bot-api.mjs";

const [address, distDir, logFile, wwwDir, tlsCert, tlsKey] = process.argv.slice(2);
if (!address || !distDir || !logFile || !wwwDir || !tlsCert || !tlsKey) {
  console.error("usage: node fake-services.mjs <address> <dist-dir> <log> <www-dir> <tls-cert> <tls-key>");
  process.exit(2);
}

function record(entry) {
  appendFileSync(logFile, `${JSON.stringify({ t: Date.now(), ...entry })}\n`);
}

/** Sends a file under `root` named by `rel` (never outside it); records the request as `kind`. */
function sendFile(req, res, kind, root, rel, type, shown = req.url.split("?")[0]) {
  const file = join(root, normalize(rel).replace(/^(\.\.(\/|$))+/, ""));
  let size;
  try {
    size = statSync(file).isFile() ? statSync(file).size : -1;
  } catch {
    size = -1;
  }
  record({ kind, method: req.method, path: shown, status: size >= 0 ? 200 : 404 });
  if (size < 0) {
    res.writeHead(404).end("not found\n");
    return;
  }
  res.writeHead(200, { "content-type": type, "content-length": String(size) });
  if (req.method === "HEAD") res.end();
  else createReadStream(file).pipe(res);
}

const server = createServer((req, res) => {
  const path = (req.url ?? "/").split("?")[0];
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    if (path.startsWith("/dist/")) {
      sendFile(req, res, "dist", distDir, path.slice("/dist/".length), "application/gzip");
      return;
    }
    const method = botApiMethod(path);
    if (method) {
      record({ kind: "bot", method, path: `/bot<token>/${method}` });
      answerBotApi(res, method, body, (req.url ?? "").split("?")[1] ?? "");
      return;
    }
    record({ kind: "other", method: req.method, path: path.replace(/\/bot[^/]+\//, "/bot<token>/") });
    res.writeHead(404).end("not found\n");
  });
});

const apt = createTlsServer({ cert: readFileSync(tlsCert), key: readFileSync(tlsKey) }, (req, res) => {
  req.resume();
  // apt percent-encodes a file name's "+" (tailscale_1.0.0%2bhosttier_amd64.deb).
  req.on("end", () => {
    let path;
    try {
      path = decodeURIComponent((req.url ?? "/").split("?")[0]);
    } catch {
      record({ kind: "apt", method: req.method, path: req.url, status: 400 });
      res.writeHead(400).end("bad path\n");
      return;
    }
    sendFile(req, res, "apt", wwwDir, path, "application/octet-stream", path);
  });
});

process.on("SIGTERM", () => {
  server.closeAllConnections();
  apt.closeAllConnections();
  let open = 2;
  const closed = () => --open === 0 && process.exit(0);
  server.close(closed);
  apt.close(closed);
});
apt.listen(443, address, () =>
  server.listen(0, address, () => {
    const a = server.address();
    console.log(`listening ${typeof a === "object" && a ? a.port : 0}`);
  }),
);
