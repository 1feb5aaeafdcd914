import * as hcloud from "@pulumi/hcloud";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { DEFAULT_LABELS } from "../network/args.js";
import { resolveArgs } from "../validate/resolve-once.js";
import { HOST_DEFAULTS, resolveHostArgs, type HostArgs } from "./args.js";
import { renderCloudConfig } from "./cloud-config.js";
import { serverAsCreated } from "./server-as-created.js";
import { mintTailnetAccess, type MintedAccess } from "../tailnet/minted-access.js";

export { HOST_DEFAULTS, type HostArgs } from "./args.js";

/**
 * The Hetzner server with its admin key and first-boot user-data. Its
 * user-data is bootstrap only: changes to it are ignored after creation, so a
 * new auth key or a library upgrade never replaces a running server. Since
 * Pulumi keeps the recorded value of an ignored input even on replacement,
 * rebuild with `pulumi destroy --target <server urn> --target-dependents` and
 * a fresh auth key
 * (https://github.com/openclaw/infra-components/blob/main/docs/operations.md#rebuilding-the-server), not with `--replace`.
 */
export class Host extends pulumi.ComponentResource {
  /** The ED25519 admin key (private half is secret). */
  readonly adminKey: tls.PrivateKey;
  /** The admin key registered in Hetzner (also avoids an emailed root password). */
  readonly sshKey: hcloud.SshKey;
  readonly server: hcloud.Server;
  /** Unprivileged user remote steps log in as. */
  readonly adminUser: string;
  /** OpenSSH private key of the admin user (secret). */
  readonly sshPrivateKey: pulumi.Output<string>;
  /**
   * The name the server registers on the tailnet: `serverName`, fixed when the
   * server is created (a later change of `serverName` is refused).
   */
  readonly tailscaleHostname: pulumi.Output<string>;
  readonly serverId: pulumi.Output<string>;
  readonly ipv4Address: pulumi.Output<string>;
  readonly ipv6Address: pulumi.Output<string>;
  /** The rendered `#cloud-config` (secret: it holds the Tailscale auth key). */
  readonly userData: pulumi.Output<string>;
  /**
   * With `tailscaleOAuthClient`: the minted auth key and the step that keeps
   * the server's tailnet name free.
   */
  readonly mintedTailnetAccess?: MintedAccess;

  constructor(name: string, args: HostArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const c = resolveArgs(`Host "${name}"`, args, resolveHostArgs);
    super("openclaw:index:Host", name, {}, opts);
    this.adminUser = HOST_DEFAULTS.adminUser;

    this.adminKey = new tls.PrivateKey(`${name}-admin-key`, { algorithm: "ED25519" }, { parent: this });
    const labels = pulumi.output(c.labels).apply((l) => ({ ...DEFAULT_LABELS, ...l }));
    this.sshKey = new hcloud.SshKey(
      `${name}-ssh-key`,
      // Trimmed: Hetzner stores the key without tls's trailing newline, and
      // an untrimmed key would differ from the stored one on every later `up`
      // (public_key replaces the key, and the key replaces the server).
      {
        name: pulumi.interpolate`${c.serverName}-admin`,
        publicKey: this.adminKey.publicKeyOpenssh.apply((k) => k.trim()),
        labels,
      },
      // name: like the server's, fixed at creation, so a refused rename changes nothing at all.
      { parent: this, ignoreChanges: ["name"] },
    );

    if (c.tailscaleOAuthClient)
      this.mintedTailnetAccess = mintTailnetAccess(name, c.tailscaleOAuthClient, c.serverName, this);
    const authKey = this.mintedTailnetAccess?.authKey ?? c.tailscaleAuthKey!;
    this.userData = pulumi.secret(
      pulumi
        .all([c.serverName, this.adminKey.publicKeyOpenssh, authKey])
        .apply(([hostname, adminPublicKey, tailscaleAuthKey]) =>
          renderCloudConfig({ hostname, adminUser: this.adminUser, adminPublicKey }, { tailscaleAuthKey }),
        ),
    );

    this.server = new hcloud.Server(
      `${name}-server`,
      {
        name: c.serverName,
        serverType: c.serverType,
        location: c.location,
        image: c.image,
        backups: c.backups,
        labels,
        sshKeys: [this.sshKey.id],
        // At creation, not through a separate attachment: the server must
        // never boot unfirewalled.
        firewallIds: args.firewallIds,
        userData: this.userData,
        publicNets: [{ ipv4Enabled: true, ipv6Enabled: true }],
      },
      // deleteBeforeReplace: Hetzner server names are unique per project, and
      // two hosts must never poll one Telegram bot token at once (HTTP 409).
      // name, location, image: fixed at creation, and a change refused (serverAsCreated);
      // userData: first boot only.
      // The tailnet-node step goes before the server is created and after it is deleted.
      {
        parent: this,
        ignoreChanges: ["userData", "name", "location", "image"],
        deleteBeforeReplace: true,
        ...(this.mintedTailnetAccess ? { dependsOn: [this.mintedTailnetAccess.node] } : {}),
      },
    );

    this.sshPrivateKey = pulumi.secret(this.adminKey.privateKeyOpenssh);
    // Everything that dials the node waits for this check, so a refused
    // rename or replacement fails the preview before any step could run.
    this.tailscaleHostname = pulumi
      .all([this.server.name, this.server.location, this.server.image, c.serverName, c.location, c.image])
      .apply(([name0, location0, image0, name1, location1, image1]) =>
        serverAsCreated(
          `Host "${name}"`,
          { name: name0, location: location0, image: image0 },
          { name: name1, location: location1, image: image1 },
          c.chosen,
        ),
      );
    this.serverId = this.server.id;
    this.ipv4Address = this.server.ipv4Address;
    this.ipv6Address = this.server.ipv6Address;
    this.registerOutputs({
      serverId: this.serverId,
      ipv4Address: this.ipv4Address,
      ipv6Address: this.ipv6Address,
      tailscaleHostname: this.tailscaleHostname,
    });
  }
}
