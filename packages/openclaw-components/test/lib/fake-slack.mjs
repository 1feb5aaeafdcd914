#!/usr/bin/env node
/**
 * A stand-in for Slack. It is reached two ways, on one loopback port:
 *
 *  - as Slack itself, through the gateway's HTTPS proxy
 *    (HTTPS_PROXY=http://127.0.0.1:<port>): OpenClaw's Slack plugin (2026.9.6)
 *    builds the one dispatcher its Web API fetches and its Socket Mode
 *    WebSocket share from the environment's proxy settings. The stand-in
 *    accepts CONNECT to slack.com and wss-primary.slack.com only and
 *    terminates their TLS itself. This carries the Web API, but not the
 *    Socket Mode WebSocket: the plugin hands OpenClaw's dispatcher (undici 8)
 *    to the WebSocket of its own undici 7, whose legacy request handler that
 *    dispatcher refuses ("invalid onRequestStart method") before it dials, so
 *    the plugin never connects through any HTTP(S) proxy;
 *  - directly, as SLACK_API_URL=https://127.0.0.1:<port>/api/ (no proxy in
 *    the environment): the Web API is answered on the port itself, and
 *    apps.connections.open hands out wss://127.0.0.1:<port>/link/ URLs, so
 *    Socket Mode connects here too. This is the route that connects.
 *
 * Either way TLS is terminated here with a certificate from a test CA (for
 * slack.com, wss-primary.slack.com and IP:127.0.0.1; the gateway trusts it
 * through NODE_EXTRA_CA_CERTS); the plumbing is tls-stand-in.mjs.
 *
 * It answers the Web API (POST /api/<method>): auth.test for a bot token
 * (xoxb-), apps.connections.open for an app-level token (xapp-), and Slack's
 * own errors otherwise (not_authed, not_allowed_token_type, unknown_method).
 * On the WebSocket it speaks Socket Mode's opening: the `hello` Slack sends
 * first (WebSocket pings are answered by `ws` itself). Every call is printed
 * as one JSON line on stdout: the method, the names of its parameters and
 * whether the Authorization header carries a bot or an app token (never a
 * token), so a test can see what the plugin did.
 *
 * Usage: fake-slack.mjs <port> <cert.pem> <key.pem> <app id> <team id> <bot user id> <bot id>
 * Meant to run inside a network namespace with only loopback up.
 */
import { randomUUID } from "node:crypto";
import { URL, URLSearchParams } from "node:url";
import { log, readBody, sendJson, startTlsStandIn } from "./tls-stand-in.mjs";

const USAGE = "usage: fake-slack.mjs <port> <cert.pem> <key.pem> <app id> <team id> <bot user id> <bot id>";
const [portArg, certFile, keyFile, appId, teamId, botUserId, botId] = process.argv.slice(2);
if (!portArg || !certFile || !keyFile || !appId || !teamId || !botUserId || !botId) {
  console.error(USAGE);
  process.exit(2);
}
const API_HOST = "slack.com";
const SOCKET_HOST = "wss-primary.slack.com";
/** The stand-in's own address, for a client pointed at it directly. */
const DIRECT_HOST = `127.0.0.1:${portArg}`;
const TEAM = "openclaw-test";

/** The names (never the values) of a call's parameters, form-encoded or JSON. */
function parameterNames(body, contentType) {
  if (!body) return [];
  if (/json/.test(contentType ?? "")) {
    try {
      return Object.keys(JSON.parse(body)).sort();
    } catch {
      return ["(not json)"];
    }
  }
  return [...new Set(new URLSearchParams(body).keys())].sort();
}

/** Web API answers by method, for the token kind Slack accepts there. */
const METHODS = {
  "auth.test": {
    token: "bot",
    answer: () => ({
      ok: true,
      url: `https://${TEAM}.slack.com/`,
      team: TEAM,
      user: "openclaw-test",
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
      is_enterprise_install: false,
    }),
  },
  "apps.connections.open": {
    token: "app",
    // Through the proxy the WebSocket is Slack's; called directly, it is here too.
    answer: (host) => ({
      ok: true,
      url: `wss://${host === DIRECT_HOST ? DIRECT_HOST : SOCKET_HOST}/link/?ticket=${randomUUID()}&app_id=${appId}`,
    }),
  },
};

/** Slack's Web API, as much of it as the plugin calls while it starts. */
async function rest(req, res) {
  const url = new URL(req.url ?? "/", `https://${req.headers.host ?? API_HOST}`);
  const method = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname)?.[1];
  const body = await readBody(req);
  const authorization = req.headers.authorization ?? "";
  const bot = /^Bearer xoxb-\S+$/.test(authorization);
  const app = /^Bearer xapp-\S+$/.test(authorization);
  log({
    kind: "api",
    host: req.headers.host,
    http: req.method,
    method: method ?? url.pathname,
    bot,
    app,
    params: [...new Set([...url.searchParams.keys(), ...parameterNames(body, req.headers["content-type"])])].sort(),
  });
  if (![API_HOST, DIRECT_HOST].includes(req.headers.host ?? "") || !method)
    return sendJson(res, 404, { ok: false, error: "not_found" });
  const known = METHODS[method];
  if (!bot && !app) return sendJson(res, 200, { ok: false, error: "not_authed" });
  if (!known) return sendJson(res, 200, { ok: false, error: "unknown_method" });
  if ((known.token === "bot" && !bot) || (known.token === "app" && !app))
    return sendJson(res, 200, { ok: false, error: "not_allowed_token_type" });
  return sendJson(res, 200, known.answer(req.headers.host));
}

/** Socket Mode's opening: Slack speaks first, with `hello`. */
function socketMode(ws, req) {
  const url = new URL(req.url ?? "/", `https://${req.headers.host ?? SOCKET_HOST}`);
  if (
    ![SOCKET_HOST, DIRECT_HOST].includes(req.headers.host ?? "") ||
    url.pathname !== "/link/" ||
    !url.searchParams.get("ticket")
  ) {
    log({ kind: "socket", event: "rejected", host: req.headers.host, path: url.pathname });
    ws.close(1008, "invalid ticket");
    return;
  }
  // The client pings every 5 s and `ws` answers each; only the first is logged.
  let pinged = false;
  ws.on("ping", () => {
    if (!pinged) log({ kind: "socket", event: "ping" });
    pinged = true;
  });
  ws.on("message", (data) => {
    let msg;
    try {
      msg = JSON.parse(String(data));
    } catch {
      log({ kind: "socket", event: "not json" });
      return;
    }
    log({ kind: "socket", event: "message", envelope: typeof msg.envelope_id === "string", keys: Object.keys(msg) });
  });
  ws.on("close", (code) => log({ kind: "socket", event: "close", code }));
  ws.send(
    JSON.stringify({
      type: "hello",
      num_connections: 1,
      debug_info: { host: "applink-fake", build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: appId },
    }),
  );
  log({ kind: "socket", event: "hello" });
}

startTlsStandIn({
  port: Number(portArg),
  certFile,
  keyFile,
  hosts: [API_HOST, SOCKET_HOST],
  direct: true,
  rest: (req, res) =>
    rest(req, res).catch((e) => {
      log({ kind: "error", message: String(e) });
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: "fake_error" });
    }),
  webSocket: socketMode,
});
