/**
 * Off-server backups: the arguments, their rules and what the host gets from
 * them (an SSH alias for the SFTP server, its pinned host keys, the restic
 * repository). Pure.
 *
 * restic (in Debian and Ubuntu) does the storing: it encrypts with the
 * repository password before anything leaves the server, deduplicates, prunes
 * by a retention policy and can check its own repository, and it speaks SFTP,
 * which is what a Hetzner Storage Box serves. What it stores is OpenClaw's own
 * verified archive (`openclaw backup create --verify`), so a restore goes
 * through OpenClaw's own `backup restore`.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Unwrap } from "@pulumi/pulumi";
import { argKeys } from "../validate/known-keys.js";
import type { Rule } from "../validate/rules.js";
import type { ArgValidator } from "../validate/validator.js";

/** Defaults of `backups.offServer`: SFTP's port and restic's retention. */
export const OFF_SERVER_DEFAULTS = { port: 22, keepDaily: 7, keepWeekly: 4, keepMonthly: 6 } as const;

/**
 * `backups.offServer`: a restic repository on an SFTP server (a Hetzner
 * Storage Box, or any OpenSSH server), which outlives the server. Each
 * scheduled backup also goes there, encrypted; the server logs in with a key
 * the library generates (`offServerBackupPublicKey`: add it to the SFTP
 * account's authorized keys before the first deploy).
 */
export interface OffServerBackupOptions {
  /** The SFTP server's host name or address, e.g. `u123456.your-storagebox.de`. */
  host: pulumi.Input<string>;
  /**
   * Its SSH port.
   * @default 22
   */
  port?: pulumi.Input<number>;
  /** The account to log in as, e.g. `u123456`. */
  user: pulumi.Input<string>;
  /** The repository's directory on the server, relative to the account's home, e.g. `openclaw/assistant`. */
  path: pulumi.Input<string>;
  /**
   * The server's SSH host key(s), one per line, as `ssh-keyscan` prints them
   * (`<host> <type> <key>`) or as `<type> <key>`. SSH refuses any other key.
   */
  hostKeys: pulumi.Input<string>;
  /** restic's repository password (secret). Without it nobody, you included, can read the backups. */
  password: pulumi.Input<string>;
  /**
   * Daily snapshots restic keeps.
   * @default 7
   */
  keepDaily?: pulumi.Input<number>;
  /**
   * Weekly snapshots restic keeps.
   * @default 4
   */
  keepWeekly?: pulumi.Input<number>;
  /**
   * Monthly snapshots restic keeps.
   * @default 6
   */
  keepMonthly?: pulumi.Input<number>;
}

export const OFF_SERVER_KEYS = argKeys<OffServerBackupOptions>({
  host: true,
  port: true,
  user: true,
  path: true,
  hostKeys: true,
  password: true,
  keepDaily: true,
  keepWeekly: true,
  keepMonthly: true,
});

/** What the host needs to reach the repository, with no secret in it. */
export interface OffServerSettings {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly path: string;
  /** Host keys as `<type> <base64>` lines. */
  readonly hostKeys: readonly string[];
  readonly keepDaily: number;
  readonly keepWeekly: number;
  readonly keepMonthly: number;
}

/** The SSH alias the repository is reached through: its host keys are pinned under this name. */
export const OFF_SERVER_ALIAS = "openclaw-backup-target";
/** Where the host keeps what it needs for the repository (0700). */
export const OFF_SERVER_DIR = ".config/openclaw-infra/off-server";

const HOST =
  /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
const KEY_TYPE =
  /^(?:ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)$/;
const BASE64 = /^[A-Za-z0-9+/]{16,}={0,2}$/;

const host: Rule<string> = (v) =>
  (HOST.test(v) && !v.startsWith("-")) || IPV4.test(v)
    ? undefined
    : { problem: "is not a host name or IPv4 address", expected: 'e.g. "u123456.your-storagebox.de"' };
const port: Rule<number> = (v) =>
  Number.isInteger(v) && v >= 1 && v <= 65535
    ? undefined
    : { problem: "is not a TCP port", expected: "an integer from 1 to 65535 (SFTP's is 22)" };
const user: Rule<string> = (v) =>
  /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(v)
    ? undefined
    : { problem: "is not an account name", expected: 'letters, digits, ".", "_" and "-", e.g. "u123456"' };
const path: Rule<string> = (v) =>
  /^[A-Za-z0-9_][A-Za-z0-9_./-]{0,254}$/.test(v) && !v.split("/").includes("..") && !v.endsWith("/")
    ? undefined
    : {
        problem: "is not a relative directory path",
        expected:
          'letters, digits, ".", "_", "-" and "/", relative to the account\'s home, no "..", e.g. "openclaw/assistant"',
      };
const keep: Rule<number> = (v) =>
  Number.isInteger(v) && v >= 0 && v <= 1000
    ? undefined
    : { problem: "is not a number of snapshots", expected: "an integer from 0 to 1000" };
const password: Rule<string> = (v) =>
  v.length >= 8 && v.length <= 1024 && !/[\r\n]/.test(v)
    ? undefined
    : { problem: "is not a usable repository password", expected: "one line of 8 to 1024 characters" };

/** `<type> <base64>` for each line of `hostKeys`, or undefined when a line is neither form. */
export function parseHostKeys(v: string): string[] | undefined {
  const lines = v
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const keys: string[] = [];
  for (const line of lines) {
    const fields = line.split(/\s+/);
    // `<type> <key>`, or ssh-keyscan's `<host> <type> <key>`; a comment may follow either.
    const at = KEY_TYPE.test(fields[0]!) ? 0 : KEY_TYPE.test(fields[1] ?? "") ? 1 : -1;
    if (at < 0 || !BASE64.test(fields[at + 1] ?? "")) return undefined;
    keys.push(`${fields[at]} ${fields[at + 1]}`);
  }
  return keys.length > 0 ? [...new Set(keys)] : undefined;
}
const hostKeys: Rule<string> = (v) =>
  parseHostKeys(v)
    ? undefined
    : {
        problem: "holds no SSH host key, or a line that is not one",
        expected: 'lines as `ssh-keyscan <host>` prints them, or "ssh-ed25519 AAAA…"',
      };

/** Checks `backups.offServer` into `v` (paths under `prefix`) and fills in defaults. */
export function resolveOffServerArgs(args: OffServerBackupOptions, v: ArgValidator, prefix: string) {
  v.knownKeys(prefix.replace(/\.$/, ""), args, OFF_SERVER_KEYS);
  return {
    host: v.check(`${prefix}host`, args.host, host),
    port: v.check(`${prefix}port`, args.port ?? OFF_SERVER_DEFAULTS.port, port),
    user: v.check(`${prefix}user`, args.user, user),
    path: v.check(`${prefix}path`, args.path, path),
    hostKeys: v.check(`${prefix}hostKeys`, args.hostKeys, hostKeys),
    password: v.checkSecret(`${prefix}password`, args.password, password),
    keepDaily: v.check(`${prefix}keepDaily`, args.keepDaily ?? OFF_SERVER_DEFAULTS.keepDaily, keep),
    keepWeekly: v.check(`${prefix}keepWeekly`, args.keepWeekly ?? OFF_SERVER_DEFAULTS.keepWeekly, keep),
    keepMonthly: v.check(`${prefix}keepMonthly`, args.keepMonthly ?? OFF_SERVER_DEFAULTS.keepMonthly, keep),
  };
}

/** The host's settings (no password), from the resolved arguments. */
export function offServerSettings(
  r: Unwrap<Omit<ReturnType<typeof resolveOffServerArgs>, "password">>,
): OffServerSettings {
  return {
    host: r.host,
    port: r.port,
    user: r.user,
    path: r.path,
    hostKeys: parseHostKeys(r.hostKeys) ?? [],
    keepDaily: r.keepDaily,
    keepWeekly: r.keepWeekly,
    keepMonthly: r.keepMonthly,
  };
}

/**
 * The SSH alias restic's SFTP backend dials: only the generated key, the
 * pinned host keys (under the alias, whatever the port), no agent, no prompt.
 */
export function renderOffServerSshAlias(s: OffServerSettings): string {
  return [
    `Host ${OFF_SERVER_ALIAS}`,
    `  HostName ${s.host}`,
    `  Port ${s.port}`,
    `  User ${s.user}`,
    `  IdentityFile ~/${OFF_SERVER_DIR}/id_ed25519`,
    "  IdentitiesOnly yes",
    "  IdentityAgent none",
    `  HostKeyAlias ${OFF_SERVER_ALIAS}`,
    `  UserKnownHostsFile ~/${OFF_SERVER_DIR}/known_hosts`,
    "  StrictHostKeyChecking yes",
    "  BatchMode yes",
    "  ServerAliveInterval 30",
    "",
  ].join("\n");
}

/** known_hosts lines for the alias. */
export function renderOffServerKnownHosts(s: OffServerSettings): string {
  return s.hostKeys.map((k) => `${OFF_SERVER_ALIAS} ${k}`).join("\n");
}

/** restic's repository string: SFTP through the alias. */
export function offServerRepository(s: OffServerSettings): string {
  return `sftp:${OFF_SERVER_ALIAS}:${s.path}`;
}
