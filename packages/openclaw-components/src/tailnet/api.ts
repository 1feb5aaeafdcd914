/**
 * The few calls of Tailscale's API (v2) the library makes, with Node's own
 * `fetch`: a client-credentials token, the tailnet's devices, and deleting
 * one. Small enough that a client library would be more code to trust than
 * this. Paths and fields as Tailscale's API documents them; the facts and
 * their sources are in the architecture docs ("What the providers do").
 */

/** Where Tailscale's API is; `TAILSCALE_BASE_URL` overrides it, as for Tailscale's own Pulumi provider. */
export const DEFAULT_API_URL = "https://api.tailscale.com";

export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** One device as `GET /api/v2/tailnet/{tailnet}/devices` lists it (the fields used here). */
export interface Device {
  /** The node id, which `DELETE /api/v2/device/{id}` takes. */
  readonly nodeId: string;
  /** The MagicDNS name, e.g. `openclaw-vps-1.tail1234.ts.net`. */
  readonly name: string;
  /** The host name the node registered with (`tailscale up --hostname`). */
  readonly hostname: string;
  readonly tags?: readonly string[];
  /** Whether the node is connected to Tailscale's control plane now. */
  readonly connectedToControl?: boolean;
}

/** A failed API call. Its message names the call and the status, never a credential. */
export class TailscaleApiError extends Error {
  constructor(
    readonly call: string,
    readonly status: number,
    detail: string,
  ) {
    super(`Tailscale API: ${call}: HTTP ${status}${detail ? `: ${detail}` : ""}`);
    this.name = "TailscaleApiError";
  }
}

/** The API's own `message`, cut short, with anything shaped like a key removed. */
async function detailOf(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  let message = text;
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === "string") message = body.message;
  } catch {
    // not JSON: the text itself
  }
  return message.replace(/tskey-[A-Za-z0-9-]+/g, "tskey-…").slice(0, 200);
}

/** Calls of the API with one access token. */
export class TailscaleApi {
  private constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  /**
   * Exchanges the client's credentials for an access token (valid for an
   * hour): `POST /api/v2/oauth/token`, form-encoded, as in Tailscale's docs.
   */
  static async connect(client: OAuthClient, base = process.env.TAILSCALE_BASE_URL || DEFAULT_API_URL) {
    const root = base.replace(/\/+$/, "");
    const res = await fetch(`${root}/api/v2/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }),
    });
    if (!res.ok) throw new TailscaleApiError("an access token for the OAuth client", res.status, await detailOf(res));
    const body = (await res.json()) as { access_token?: unknown };
    if (typeof body.access_token !== "string" || !body.access_token)
      throw new TailscaleApiError("an access token for the OAuth client", res.status, "no access_token in the answer");
    return new TailscaleApi(root, body.access_token);
  }

  private request(method: string, path: string): Promise<Response> {
    return fetch(`${this.base}${path}`, { method, headers: { authorization: `Bearer ${this.token}` } });
  }

  /** The tailnet's devices. */
  async devices(tailnet: string): Promise<Device[]> {
    const call = `list the devices of tailnet "${tailnet}"`;
    const res = await this.request("GET", `/api/v2/tailnet/${encodeURIComponent(tailnet)}/devices`);
    if (!res.ok) throw new TailscaleApiError(call, res.status, await detailOf(res));
    const body = (await res.json()) as { devices?: unknown };
    if (!Array.isArray(body.devices)) throw new TailscaleApiError(call, res.status, "no devices list in the answer");
    return body.devices as Device[];
  }

  /** Deletes a device; one already gone (404) counts as deleted. */
  async deleteDevice(device: Device): Promise<void> {
    const res = await this.request("DELETE", `/api/v2/device/${encodeURIComponent(device.nodeId)}`);
    if (res.ok || res.status === 404) return;
    throw new TailscaleApiError(`delete device ${device.name}`, res.status, await detailOf(res));
  }
}
