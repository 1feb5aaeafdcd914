/**
 * The plumbing shared by the stand-ins for a chat service (fake-discord.mjs,
 * fake-slack.mjs): an HTTP proxy on loopback that accepts CONNECT to a fixed
 * set of hosts on port 443 only, and terminates the TLS of each tunnel itself
 * with a certificate from a test CA (the gateway trusts it through
 * NODE_EXTRA_CA_CERTS). Behind that, plain HTTPS requests go to the service's
 * REST handler and WebSocket upgrades to its WebSocket handler (package `ws`).
 * Every event is printed as one JSON line on stdout ({ at, kind, ... }), so a
 * test can see what the plugin did. SIGTERM and SIGINT end the process.
 *
 * With `direct`, the same port also serves TLS itself (a connection whose
 * first byte opens a TLS handshake goes to the REST and WebSocket handlers
 * without a CONNECT, logged as { kind: "direct" }), for a client pointed at
 * https://127.0.0.1:<port>/ (the certificate then names IP:127.0.0.1 too);
 * every other connection is the proxy's, as without it.
 *
 * Meant to run inside a network namespace with only loopback up.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { WebSocketServer } from "ws";

/** Prints one event as a JSON line on stdout, stamped with the time. */
export const log = (event) => console.log(JSON.stringify({ at: Date.now(), ...event }));

/** Answers a request with a JSON body. */
export function sendJson(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** The request's body as a string. */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

/**
 * Starts the stand-in.
 *  - port: the proxy's port on 127.0.0.1;
 *  - certFile, keyFile: the certificate (for every host in `hosts`) and its key;
 *  - hosts: the host names a CONNECT may name (with port 443); any other is refused;
 *  - rest(req, res): the handler of HTTPS requests;
 *  - webSocket(ws, req): called with each upgraded WebSocket (after the upgrade is logged);
 *  - direct: also accept TLS on the port itself, without a CONNECT (see above).
 */
export function startTlsStandIn({ port, certFile, keyFile, hosts, rest, webSocket, direct = false }) {
  const allowed = new Set(hosts);
  const tls = https.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, rest);
  const wss = new WebSocketServer({ noServer: true });
  tls.on("upgrade", (req, socket, head) => {
    log({ kind: "upgrade", host: req.headers.host, url: req.url });
    wss.handleUpgrade(req, socket, head, (ws) => webSocket(ws, req));
  });

  const proxy = http.createServer((req, res) => {
    log({ kind: "refused", method: req.method, url: req.url });
    res.writeHead(403);
    res.end();
  });
  proxy.on("connect", (req, socket) => {
    const [host, targetPort] = (req.url ?? "").split(":");
    if (!allowed.has(host) || targetPort !== "443") {
      log({ kind: "refused", connect: req.url });
      socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    log({ kind: "connect", target: req.url });
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    tls.emit("connection", socket);
  });
  // A TLS record starts with 0x16 (handshake); an HTTP request with a letter.
  const front = direct
    ? net.createServer((socket) =>
        socket.once("readable", () => {
          const first = socket.read(1);
          if (first === null) return void socket.destroy();
          socket.unshift(first);
          if (first[0] === 0x16) log({ kind: "direct" });
          (first[0] === 0x16 ? tls : proxy).emit("connection", socket);
        }),
      )
    : proxy;
  front.listen(port, "127.0.0.1", () => log({ kind: "listening", port }));
  for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
  return { proxy, tls, wss };
}
