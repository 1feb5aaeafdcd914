/**
 * Off-server backups: the arguments, their rules and what the host gets from
 * them (the restic repository; for SFTP an SSH alias and the server's pinned
 * host keys, for S3 the endpoint and region). Pure.
 *
 * restic (in Debian and Ubuntu) does the storing: it encrypts with the
 * repository password before anything leaves the server, deduplicates, prunes
 * by a retention policy and can check its own repository, and it speaks both
 * SFTP, which is what a Hetzner Storage Box serves, and S3, which Hetzner's
 * Object Storage and every other S3-compatible store serve. What it stores is
 * OpenClaw's own verified archive (`openclaw backup create --verify`), so a
 * restore goes through OpenClaw's own `backup restore`.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Unwrap } from "@pulumi/pulumi";
import { argKeys } from "../validate/known-keys.js";
import type { Rule } from "../validate/rules.js";
import type { ArgValidator } from "../validate/validator.js";

/** Defaults of `backups.offServer`: SFTP's port and restic's retention. */
export const OFF_SERVER_DEFAULTS = { port: 22, keepDaily: 7, keepWeekly: 4, keepMonthly: 6 } as const;

/** `backups.offServer.sftp`: the repository on an SFTP server, reached with a key the library generates. */
export interface SftpTargetOptions {
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
}

/** `backups.offServer.s3`: the repository in a bucket of S3-compatible object storage, over HTTPS. */
export interface S3TargetOptions {
  /** The service's HTTPS endpoint, with no path, e.g. `https://fsn1.your-objectstorage.com`. */
  endpoint: pulumi.Input<string>;
  /** The bucket, which must exist or be creatable with the key, e.g. `openclaw-backups`. */
  bucket: pulumi.Input<string>;
  /** The repository's key prefix in the bucket, e.g. `openclaw/assistant`. */
  path: pulumi.Input<string>;
  /**
   * The bucket's region, where the service needs one to sign requests (Hetzner: `fsn1`, `nbg1` or `hel1`).
   * @default undefined (restic asks the service)
   */
  region?: pulumi.Input<string>;
  /** The access key's id. Sent to the server with the secret key, on stdin. */
  accessKeyId: pulumi.Input<string>;
  /** The access key's secret (secret). */
  secretAccessKey: pulumi.Input<string>;
}

/**
 * `backups.offServer`: a restic repository that outlives the server, on an
 * SFTP server (`sftp`: a Hetzner Storage Box, or any OpenSSH server) or in
 * S3-compatible object storage (`s3`); exactly one of the two. Each scheduled
 * backup also goes there, encrypted. Over SFTP the server logs in with a key
 * the library generates (`offServerBackupPublicKey`: add it to the account's
 * authorized keys before the first deploy).
 */
export interface OffServerBackupOptions {
  /**
   * The repository on an SFTP server.
   * @default undefined (set this or `s3`)
   */
  sftp?: SftpTargetOptions;
  /**
   * The repository in an S3-compatible bucket.
   * @default undefined (set this or `sftp`)
   */
  s3?: S3TargetOptions;
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
  sftp: true,
  s3: true,
  password: true,
  keepDaily: true,
  keepWeekly: true,
  keepMonthly: true,
});
const SFTP_KEYS = argKeys<SftpTargetOptions>({ host: true, port: true, user: true, path: true, hostKeys: true });
const S3_KEYS = argKeys<S3TargetOptions>({
  endpoint: true,
  bucket: true,
  path: true,
  region: true,
  accessKeyId: true,
  secretAccessKey: true,
});

/** What the host needs to reach the repository, with no secret in it: `sftp` or `s3`, as in the arguments. */
export interface OffServerSettings {
  readonly sftp?: {
    readonly host: string;
    readonly port: number;
    readonly user: string;
    /** Host keys as `<type> <base64>` lines. */
    readonly hostKeys: readonly string[];
  };
  readonly s3?: { readonly endpoint: string; readonly bucket: string; readonly region?: string };
  /** The repository's directory (SFTP) or key prefix (S3). */
  readonly path: string;
  readonly keepDaily: number;
  readonly keepWeekly: number;
  readonly keepMonthly: number;
}

/** The SSH alias the repository is reached through: its host keys are pinned under this name. */
export const OFF_SERVER_ALIAS = "openclaw-backup-target";
/** Where the host keeps what it needs for the repository (0700). */
export const OFF_SERVER_DIR = ".config/openclaw-infra/off-server";
/** The files in it: the password and settings, SFTP's login key, SSH config and host keys, S3's credentials. */
export const OFF_SERVER_FILES = [
  "password",
  "settings.json",
  "id_ed25519",
  "ssh_config",
  "known_hosts",
  "s3_credentials",
] as const;

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
const keyPrefix: Rule<string> = (v) =>
  path(v) === undefined
    ? undefined
    : {
        problem: "is not a key prefix",
        expected:
          'letters, digits, ".", "_", "-" and "/", no leading or trailing "/", no "..", e.g. "openclaw/assistant"',
      };
const keep: Rule<number> = (v) =>
  Number.isInteger(v) && v >= 0 && v <= 1000
    ? undefined
    : { problem: "is not a number of snapshots", expected: "an integer from 0 to 1000" };
const password: Rule<string> = (v) =>
  v.length >= 8 && v.length <= 1024 && !/[\r\n]/.test(v)
    ? undefined
    : { problem: "is not a usable repository password", expected: "one line of 8 to 1024 characters" };

const endpoint: Rule<string> = (v) => {
  const m = /^https:\/\/([^/:?#\s]+)(?::(\d{1,5}))?$/.exec(v);
  return m && (HOST.test(m[1]!) || IPV4.test(m[1]!)) && (m[2] === undefined || (+m[2] >= 1 && +m[2] <= 65535))
    ? undefined
    : {
        problem: "is not an HTTPS endpoint",
        expected:
          '"https://" and a host name, an optional port and no path, e.g. "https://fsn1.your-objectstorage.com"',
      };
};
// S3's bucket naming rules: 3 to 63 lowercase letters, digits, "." and "-", starting and ending with a letter or digit.
const bucket: Rule<string> = (v) =>
  /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) && !v.includes("..")
    ? undefined
    : {
        problem: "is not a bucket name",
        expected: '3 to 63 lowercase letters, digits, "." and "-", e.g. "openclaw-backups"',
      };
const region: Rule<string> = (v) =>
  /^[a-z0-9][a-z0-9-]{0,62}$/.test(v)
    ? undefined
    : { problem: "is not a region name", expected: 'lowercase letters, digits and "-", e.g. "fsn1" or "eu-central-1"' };
const accessKeyId: Rule<string> = (v) =>
  /^[A-Za-z0-9_.+/=-]{3,128}$/.test(v)
    ? undefined
    : {
        problem: "is not an access key id",
        expected: "3 to 128 letters, digits and _.+/=-, e.g. AKIAIOSFODNN7EXAMPLE",
      };
// What S3 services issue. Also what an AWS credentials file keeps as written: its INI
// reader cuts a value at "#" or ";" and takes a trailing "\\" as a continuation.
const secretAccessKey: Rule<string> = (v) =>
  /^[A-Za-z0-9+/=_.-]{8,256}$/.test(v)
    ? undefined
    : { problem: "is not a usable secret access key", expected: "8 to 256 letters, digits and + / = _ . -" };

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
  const at = prefix.replace(/\.$/, "");
  v.knownKeys(at, args, OFF_SERVER_KEYS);
  if ((args.sftp === undefined) === (args.s3 === undefined))
    v.add({
      path: at,
      problem: args.sftp === undefined ? "names no repository" : "names two repositories",
      expected:
        "exactly one of sftp: { host, user, path, hostKeys } or s3: { endpoint, bucket, path, accessKeyId, secretAccessKey }",
    });
  const sftp = args.sftp;
  const s3 = args.s3;
  if (sftp) v.knownKeys(`${prefix}sftp`, sftp, SFTP_KEYS);
  if (s3) v.knownKeys(`${prefix}s3`, s3, S3_KEYS);
  return {
    ...(sftp
      ? {
          sftp: {
            host: v.check(`${prefix}sftp.host`, sftp.host, host),
            port: v.check(`${prefix}sftp.port`, sftp.port ?? OFF_SERVER_DEFAULTS.port, port),
            user: v.check(`${prefix}sftp.user`, sftp.user, user),
            path: v.check(`${prefix}sftp.path`, sftp.path, path),
            hostKeys: v.check(`${prefix}sftp.hostKeys`, sftp.hostKeys, hostKeys),
          },
        }
      : {}),
    ...(s3
      ? {
          s3: {
            endpoint: v.check(`${prefix}s3.endpoint`, s3.endpoint, endpoint),
            bucket: v.check(`${prefix}s3.bucket`, s3.bucket, bucket),
            path: v.check(`${prefix}s3.path`, s3.path, keyPrefix),
            ...(s3.region !== undefined ? { region: v.check(`${prefix}s3.region`, s3.region, region) } : {}),
          },
          // The key pair travels with the password, on stdin.
          s3Credentials: {
            accessKeyId: v.check(`${prefix}s3.accessKeyId`, s3.accessKeyId, accessKeyId, { secret: true }),
            secretAccessKey: v.checkSecret(`${prefix}s3.secretAccessKey`, s3.secretAccessKey, secretAccessKey),
          },
        }
      : {}),
    password: v.checkSecret(`${prefix}password`, args.password, password),
    keepDaily: v.check(`${prefix}keepDaily`, args.keepDaily ?? OFF_SERVER_DEFAULTS.keepDaily, keep),
    keepWeekly: v.check(`${prefix}keepWeekly`, args.keepWeekly ?? OFF_SERVER_DEFAULTS.keepWeekly, keep),
    keepMonthly: v.check(`${prefix}keepMonthly`, args.keepMonthly ?? OFF_SERVER_DEFAULTS.keepMonthly, keep),
  };
}

/** The resolved arguments without their secrets: what the plan may show. */
export type OffServerPlain = Unwrap<Omit<ReturnType<typeof resolveOffServerArgs>, "password" | "s3Credentials">>;

/**
 * Resolved off-server arguments without their secrets (the repository's
 * password, the S3 key): what the settings, and so the plan, are made of.
 */
export function withoutOffServerSecrets<T extends { password?: unknown; s3Credentials?: unknown }>(
  r: T,
): Omit<T, "password" | "s3Credentials"> {
  const { password: _password, s3Credentials: _s3, ...plain } = r;
  return plain;
}

/** The host's settings (no secret), from the resolved arguments. */
export function offServerSettings(r: OffServerPlain): OffServerSettings {
  const keep = { keepDaily: r.keepDaily, keepWeekly: r.keepWeekly, keepMonthly: r.keepMonthly };
  if (r.s3) {
    const { path, ...s3 } = r.s3;
    return { s3, path, ...keep };
  }
  const { path, hostKeys, ...sftp } = r.sftp!;
  return { sftp: { ...sftp, hostKeys: parseHostKeys(hostKeys) ?? [] }, path, ...keep };
}

/**
 * The SSH alias restic's SFTP backend dials: only the generated key, the
 * pinned host keys (under the alias, whatever the port), no agent, no prompt.
 */
export function renderOffServerSshAlias(s: NonNullable<OffServerSettings["sftp"]>): string {
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
export function renderOffServerKnownHosts(s: NonNullable<OffServerSettings["sftp"]>): string {
  return s.hostKeys.map((k) => `${OFF_SERVER_ALIAS} ${k}`).join("\n");
}

/** restic's repository string: SFTP through the alias, or S3 at the endpoint. */
export function offServerRepository(s: OffServerSettings): string {
  return s.s3 ? `s3:${s.s3.endpoint}/${s.s3.bucket}/${s.path}` : `sftp:${OFF_SERVER_ALIAS}:${s.path}`;
}

/**
 * The S3 key pair as an AWS shared-credentials file: restic reads it through
 * `AWS_SHARED_CREDENTIALS_FILE`, a path, so the key never sits in an
 * environment. Both values are checked to be one word of printable text.
 */
export function renderS3Credentials(c: { accessKeyId: string; secretAccessKey: string }): string {
  return `[default]\naws_access_key_id = ${c.accessKeyId}\naws_secret_access_key = ${c.secretAccessKey}\n`;
}
