/**
 * Renders the server's first-boot user-data. Pure: no Pulumi, no I/O.
 *
 * The cloud-config is deliberately minimal: it creates the admin user, hardens
 * sshd, installs and joins Tailscale, enables UFW and linger. Hetzner serves
 * user-data to every process on the box for the server's whole life, so the
 * Tailscale auth key is the only secret in it, and it is removed from disk
 * after use.
 */
import { stringify } from "yaml";
import bootstrapScript from "./scripts/bootstrap.sh";

/** What the user-data needs to know. */
export interface CloudConfigSettings {
  /** Tailscale hostname (`tailscale up --hostname`). */
  readonly hostname: string;
  /** Unprivileged admin user the remote steps log in as. */
  readonly adminUser: string;
  /** OpenSSH public key authorised for the admin user. */
  readonly adminPublicKey: string;
}

export interface CloudConfigSecrets {
  /** Tailscale auth key: the one secret user-data carries. */
  readonly tailscaleAuthKey: string;
}

/** Hetzner rejects user-data larger than this. */
export const USER_DATA_LIMIT_BYTES = 32 * 1024;

/** Where the first boot keeps the auth key until `tailscale up` has read it (tmpfs). */
export const TAILSCALE_KEY_PATH = "/run/openclaw-bootstrap/tailscale-authkey";
export const BOOTSTRAP_SCRIPT_PATH = "/usr/local/lib/openclaw-infra/bootstrap.sh";

/** Environment variables remote steps set over SSH; sshd must accept them. */
export const ACCEPTED_ENV = "OPENCLAW_*";

export function renderSshdConfig(adminUser: string): string {
  return [
    "# Managed by @openclaw/infra-components (first boot).",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitRootLogin no",
    "PubkeyAuthentication yes",
    `AllowUsers ${adminUser}`,
    "X11Forwarding no",
    `AcceptEnv ${ACCEPTED_ENV}`,
    "",
  ].join("\n");
}

/** Renders the `#cloud-config` document as text. */
export function renderCloudConfig(settings: CloudConfigSettings, secrets: CloudConfigSecrets): string {
  const doc = {
    // The group must exist before the user is created so the user's first
    // login session, and the systemd user manager (which keeps the groups it
    // started with), already have it.
    groups: ["docker"],
    users: [
      {
        name: settings.adminUser,
        groups: ["sudo", "docker"],
        shell: "/bin/bash",
        sudo: "ALL=(ALL) NOPASSWD:ALL",
        lock_passwd: true,
        ssh_authorized_keys: [settings.adminPublicKey.trim()],
      },
    ],
    disable_root: true,
    ssh_pwauth: false,
    write_files: [
      {
        path: "/etc/ssh/sshd_config.d/10-openclaw.conf",
        permissions: "0644",
        owner: "root:root",
        content: renderSshdConfig(settings.adminUser),
      },
      {
        path: TAILSCALE_KEY_PATH,
        permissions: "0600",
        owner: "root:root",
        content: secrets.tailscaleAuthKey,
      },
      {
        path: BOOTSTRAP_SCRIPT_PATH,
        permissions: "0755",
        owner: "root:root",
        content: bootstrapScript,
      },
    ],
    runcmd: [["bash", BOOTSTRAP_SCRIPT_PATH, settings.hostname, settings.adminUser]],
  };
  // cloud-init reads YAML 1.1, where a bare on/off/yes/no is a boolean: the
  // library emits 1.1 so such strings are quoted.
  return `#cloud-config\n${stringify(doc, { version: "1.1", lineWidth: 0 })}`;
}
