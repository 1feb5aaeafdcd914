/**
 * A stand-in for the part of Tailscale's API (v2) the library calls, on a
 * loopback port, answering as Tailscale's API documents it:
 *
 *  - `POST /api/v2/oauth/token`, a form with `client_id` and `client_secret`
 *    (grant type `client_credentials`): `{ access_token, token_type: "Bearer",
 *    expires_in: 3600, scope }`; wrong credentials: 401 with `{ message }`;
 *  - `GET /api/v2/tailnet/{tailnet}/devices` with `Authorization: Bearer`:
 *    `{ devices: [...] }` (`-` is the token's own tailnet); another tailnet:
 *    403 with `{ message }`;
 *  - `DELETE /api/v2/device/{nodeId}`: 200 with an empty body; an unknown id:
 *    404 with `{ message }` (the official client's `IsNotFound` is a 404);
 *  - anything without a valid token: 401.
 *
 * Every call is recorded (method, path, whether a token was sent), never a
 * credential, so a test can see what the library did.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeDevice {
  nodeId: string;
  id: string;
  name: string;
  hostname: string;
  tags?: string[];
  connectedToControl: boolean;
}

export interface FakeTailscaleApi {
  /** Base URL, for `TAILSCALE_BASE_URL`. */
  readonly url: string;
  /** The tailnet's devices now (deletions take them out). */
  readonly devices: FakeDevice[];
  readonly calls: { method: string; path: string; authorized: boolean }[];
  /** The request bodies as received, to prove a credential never went elsewhere. */
  readonly rawRequests: string[];
  close(): Promise<void>;
}

export async function startFakeTailscaleApi(o: {
  clientId: string;
  clientSecret: string;
  tailnet: string;
  devices: FakeDevice[];
}): Promise<FakeTailscaleApi> {
  const devices = [...o.devices];
  const calls: FakeTailscaleApi["calls"] = [];
  const rawRequests: string[] = [];
  const tokens = new Set<string>();
  const send = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, body === undefined ? {} : { "content-type": "application/json" });
    res.end(body === undefined ? "" : JSON.stringify(body));
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      rawRequests.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)} ${body}`);
      const url = new URL(req.url ?? "/", "http://x");
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const authorized = bearer !== undefined && tokens.has(bearer);
      calls.push({ method: req.method ?? "", path: url.pathname, authorized });
      if (req.method === "POST" && url.pathname === "/api/v2/oauth/token") {
        const form = new URLSearchParams(body);
        if (
          form.get("grant_type") !== "client_credentials" ||
          form.get("client_id") !== o.clientId ||
          form.get("client_secret") !== o.clientSecret
        )
          return send(res, 401, { message: "invalid client credentials" });
        const token = `tskey-api-${randomBytes(8).toString("hex")}`;
        tokens.add(token);
        return send(res, 200, { access_token: token, token_type: "Bearer", expires_in: 3600, scope: "all" });
      }
      if (!authorized) return send(res, 401, { message: "API token invalid" });
      const list = /^\/api\/v2\/tailnet\/([^/]+)\/devices$/.exec(url.pathname);
      if (req.method === "GET" && list) {
        const tailnet = decodeURIComponent(list[1]!);
        if (tailnet !== "-" && tailnet !== o.tailnet) return send(res, 403, { message: "access denied" });
        return send(res, 200, { devices });
      }
      const one = /^\/api\/v2\/device\/([^/]+)$/.exec(url.pathname);
      if (req.method === "DELETE" && one) {
        const at = devices.findIndex((d) => d.nodeId === one[1] || d.id === one[1]);
        if (at < 0) return send(res, 404, { message: "not found" });
        devices.splice(at, 1);
        return send(res, 200);
      }
      return send(res, 404, { message: "not found" });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    devices,
    calls,
    rawRequests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
