#!/usr/bin/env node
/**
 * A stand-in for Discord, for a gateway whose `channels.discord.proxy` points
 * here: the only way OpenClaw's Discord plugin (2026.9.6) can be redirected.
 * It is an HTTP proxy that accepts CONNECT to discord.com and
 * gateway.discord.gg only, and terminates their TLS itself with a certificate
 * from a test CA (the gateway trusts it through NODE_EXTRA_CA_CERTS); the
 * plumbing is tls-stand-in.mjs. Behind that it answers the REST calls the
 * plugin makes at start (the gateway URL, the bot user, the application, the
 * slash-command deploy) and speaks the gateway protocol's opening: HELLO, then
 * READY for an IDENTIFY, and a HEARTBEAT_ACK for each heartbeat. Every request
 * and gateway opcode is printed as one JSON line on stdout, so a test can see
 * what the plugin did.
 *
 * Usage: fake-discord.mjs <port> <cert.pem> <key.pem> <bot user id>
 * Meant to run inside a network namespace with only loopback up.
 */
import { log, sendJson, startTlsStandIn } from "./tls-stand-in.mjs";

const [portArg, certFile, keyFile, botId] = process.argv.slice(2);
if (!portArg || !certFile || !keyFile || !botId) {
  console.error("usage: fake-discord.mjs <port> <cert.pem> <key.pem> <bot user id>");
  process.exit(2);
}

const user = { id: botId, username: "openclaw-test", discriminator: "0", global_name: null, avatar: null, bot: true };
const application = { id: botId, name: "openclaw-test", flags: 0, bot_public: false, bot_require_code_grant: false };

/** Discord's REST API, as much of it as the plugin calls while it starts. */
function rest(req, res) {
  const path = (req.url ?? "").replace(/^\/api\/v\d+/, "").replace(/\?.*$/, "");
  log({
    kind: "rest",
    host: req.headers.host,
    method: req.method,
    path,
    auth: /^Bot \S+$/.test(req.headers.authorization ?? ""),
  });
  const json = (status, body) => sendJson(res, status, body);
  req.resume();
  if (path === "/gateway/bot")
    return json(200, {
      url: "wss://gateway.discord.gg",
      shards: 1,
      session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
    });
  if (path === "/gateway") return json(200, { url: "wss://gateway.discord.gg" });
  if (path === "/users/@me") return json(200, user);
  if (path === "/applications/@me" || path === "/oauth2/applications/@me") return json(200, application);
  // The slash-command deploy: the list, then one POST per command.
  if (/^\/applications\/\d+\/commands$/.test(path))
    return req.method === "POST" ? json(201, { id: String(Date.now()), application_id: botId }) : json(200, []);
  return json(404, { message: "Unknown", code: 0 });
}

/** The gateway protocol's opening. */
function gateway(ws) {
  let seq = 0;
  const send = (payload) => ws.send(JSON.stringify(payload));
  send({ op: 10, d: { heartbeat_interval: 41250 }, s: null, t: null });
  ws.on("message", (data) => {
    let msg;
    try {
      msg = JSON.parse(String(data));
    } catch {
      log({ kind: "gateway", op: "not json" });
      return;
    }
    log({ kind: "gateway", op: msg.op, intents: msg.op === 2 ? msg.d?.intents : undefined });
    if (msg.op === 1) send({ op: 11, d: null, s: null, t: null });
    if (msg.op === 2) {
      seq += 1;
      send({
        op: 0,
        t: "READY",
        s: seq,
        d: {
          v: 10,
          user,
          guilds: [],
          session_id: "fake-session",
          resume_gateway_url: "wss://gateway.discord.gg",
          shard: [0, 1],
          application: { id: botId, flags: 0 },
          private_channels: [],
          relationships: [],
          user_settings: {},
        },
      });
    }
  });
}

startTlsStandIn({
  port: Number(portArg),
  certFile,
  keyFile,
  hosts: ["discord.com", "gateway.discord.gg"],
  rest,
  webSocket: gateway,
});
