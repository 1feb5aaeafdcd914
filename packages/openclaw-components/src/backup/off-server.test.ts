import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { OFF_SERVER, OFF_SERVER_S3, SENTINELS } from "../../test/fixtures.js";
import { installMocks, isSecret, settle, valueOf, type MockRecorder } from "../testing/index.js";
import { OpenClawArgsError, OpenClawDeployment, type OpenClawDeploymentArgs } from "../index.js";
import { parseHostKeys } from "./off-server.js";

let mocks: MockRecorder;
beforeAll(async () => {
  mocks = await installMocks();
});

const base: OpenClawDeploymentArgs = {
  tailscaleAuthKey: pulumi.secret(SENTINELS.tailscaleAuthKey),
  claudeSetupToken: pulumi.secret(SENTINELS.claudeSetupToken),
  tailnetDnsName: "tail1234.ts.net",
};
const offServer = { ...OFF_SERVER, password: pulumi.secret(OFF_SERVER.password) };
let n = 0;
const deploy = (backups: OpenClawDeploymentArgs["backups"]) =>
  new OpenClawDeployment(`osb${++n}`, { ...base, serverName: `osb${n}-vps`, backups });

describe("backups.offServer", () => {
  it("renders the step with the repository's settings in its environment and the password and key on stdin only", async () => {
    const d = deploy({ offServer });
    const publicKey = await valueOf(d.offServerBackupPublicKey);
    await settle();
    expect(publicKey).toMatch(/^ssh-ed25519 \S+$/);
    const key = mocks.byType("PrivateKey").find((k) => k.name === `osb${n}-backups-off-server-key`);
    expect(key?.inputs.algorithm).toBe("ED25519");
    const step = mocks.step(`osb${n}-backups-install-backup-timer`);
    expect(JSON.parse(step.environment.OPENCLAW_OFF_SERVER_SETTINGS!)).toEqual({
      repository: "sftp:openclaw-backup-target:openclaw/openclaw-vps",
      transport: "sftp",
      keepDaily: 7,
      keepWeekly: 4,
      keepMonthly: 6,
    });
    expect(step.environment.OPENCLAW_OFF_SERVER_KNOWN_HOSTS).toBe(
      `openclaw-backup-target ${OFF_SERVER.sftp.hostKeys.split(" ").slice(1).join(" ")}`,
    );
    expect(step.stdin!.split("\n")[0]).toBe(OFF_SERVER.password);
    expect(step.stdin).toContain("-----BEGIN OPENSSH PRIVATE KEY-----");
    expect(step.logging).toBe("none");
    expect(step.resource.secretPaths).toContain("stdin");
    const leaks = mocks.plainStrings().filter((s) => s.value.includes(OFF_SERVER.password));
    expect(leaks).toEqual([]);
    // verify checks the repository.
    expect(mocks.step(`osb${n}-verify`).environment.OPENCLAW_VERIFY_OFF_SERVER).toBe("yes");
  });

  it("without it, the backup step has no stdin (as before off-server backups existed) and no key is made", async () => {
    const d = deploy({});
    expect(await valueOf(d.offServerBackupPublicKey)).toBeUndefined();
    await settle();
    const step = mocks.step(`osb${n}-backups-install-backup-timer`);
    expect(step.stdin).toBeUndefined();
    expect(step.logging).toBe("stdoutAndStderr");
    expect(step.environment.OPENCLAW_OFF_SERVER_SETTINGS).toBe("");
    expect(mocks.byType("PrivateKey").filter((k) => k.name === `osb${n}-backups-off-server-key`)).toEqual([]);
    expect(mocks.step(`osb${n}-verify`).environment.OPENCLAW_VERIFY_OFF_SERVER).toBe("no");
  });

  it("a plain-string password is still kept secret", async () => {
    const d = deploy({ offServer: OFF_SERVER });
    await valueOf(d.offServerBackupPublicKey);
    await settle();
    const step = mocks.step(`osb${n}-backups-install-backup-timer`);
    expect(step.resource.secretPaths).toContain("stdin");
    // The settings the plan shows are not secret: the password travels apart from them.
    expect(await isSecret(d.backups!.settings)).toBe(false);
  });

  it("refuses bad fields at construction, naming each, never echoing the password", () => {
    let error: OpenClawArgsError | undefined;
    try {
      deploy({
        offServer: {
          sftp: {
            host: "-oProxyCommand=id",
            port: 0,
            user: "root;id",
            path: "../elsewhere",
            hostKeys: "not a key",
            hostkey: "x",
          },
          password: "short\n",
          keepDaily: 1.5,
        } as never,
      });
    } catch (e) {
      error = e as OpenClawArgsError;
    }
    expect(error).toBeInstanceOf(OpenClawArgsError);
    const m = error!.message;
    for (const path of ["sftp.host", "sftp.port", "sftp.user", "sftp.path", "sftp.hostKeys", "password", "keepDaily"])
      expect(m).toContain(`backups.offServer.${path}:`);
    expect(m).toMatch(/backups\.offServer\.sftp\.hostkey: is not an argument this library knows; expected "hostKeys"/);
    expect(m).not.toContain("short");
  });

  it("refuses both repositories or none, naming offServer and the two forms", () => {
    expect(() => deploy({ offServer: { ...OFF_SERVER, s3: OFF_SERVER_S3.s3 } })).toThrow(
      /backups\.offServer: names two repositories; expected exactly one of sftp: \{ host, user, path, hostKeys \} or s3: /,
    );
    expect(() => deploy({ offServer: { password: OFF_SERVER.password } })).toThrow(
      /backups\.offServer: names no repository; expected exactly one of sftp/,
    );
  });
});

describe("backups.offServer.s3", () => {
  const s3 = {
    ...OFF_SERVER_S3,
    s3: { ...OFF_SERVER_S3.s3, secretAccessKey: pulumi.secret(OFF_SERVER_S3.s3.secretAccessKey) },
    password: pulumi.secret(OFF_SERVER_S3.password),
  };

  it("renders the repository in the bucket, the key pair and password on stdin only, and makes no login key", async () => {
    const d = deploy({ offServer: s3 });
    expect(await valueOf(d.offServerBackupPublicKey)).toBeUndefined();
    await settle();
    expect(mocks.byType("PrivateKey").filter((k) => k.name === `osb${n}-backups-off-server-key`)).toEqual([]);
    const step = mocks.step(`osb${n}-backups-install-backup-timer`);
    expect(JSON.parse(step.environment.OPENCLAW_OFF_SERVER_SETTINGS!)).toEqual({
      repository: "s3:https://fsn1.your-objectstorage.com/openclaw-backups/openclaw/openclaw-vps",
      transport: "s3",
      region: "fsn1",
      keepDaily: 7,
      keepWeekly: 4,
      keepMonthly: 6,
    });
    expect(step.environment.OPENCLAW_OFF_SERVER_SSH_CONFIG).toBe("");
    expect(step.environment.OPENCLAW_OFF_SERVER_KNOWN_HOSTS).toBe("");
    expect(step.stdin).toBe(
      `${OFF_SERVER_S3.password}\n[default]\naws_access_key_id = S3ACCESSKEYIDSENTINEL\naws_secret_access_key = ${SENTINELS.offServerS3SecretKey}\n`,
    );
    expect(step.logging).toBe("none");
    expect(step.resource.secretPaths).toContain("stdin");
    for (const secret of [SENTINELS.offServerS3SecretKey, OFF_SERVER_S3.password])
      expect(mocks.plainStrings().filter((s) => s.value.includes(secret))).toEqual([]);
    expect(mocks.step(`osb${n}-verify`).environment.OPENCLAW_VERIFY_OFF_SERVER).toBe("yes");
  });

  it("refuses a plain-HTTP endpoint, a path on it, a bad bucket and region, and keys that are not one word", () => {
    let error: OpenClawArgsError | undefined;
    try {
      deploy({
        offServer: {
          s3: {
            endpoint: "http://fsn1.your-objectstorage.com/x",
            bucket: "Bad_Bucket",
            path: "/abs",
            region: "FSN 1",
            accessKeyId: "id with space",
            secretAccessKey: "secret with space",
            sessionToken: "x",
          },
          password: OFF_SERVER_S3.password,
        } as never,
      });
    } catch (e) {
      error = e as OpenClawArgsError;
    }
    expect(error).toBeInstanceOf(OpenClawArgsError);
    const m = error!.message;
    for (const path of ["endpoint", "bucket", "path", "region", "accessKeyId", "secretAccessKey"])
      expect(m).toContain(`backups.offServer.s3.${path}:`);
    expect(m).toMatch(
      /backups\.offServer\.s3\.endpoint: "http:\/\/fsn1\.your-objectstorage\.com\/x" is not an HTTPS endpoint/,
    );
    expect(m).toMatch(/backups\.offServer\.s3\.sessionToken: is not an argument this library knows/);
    // Both keys are shown as "the value", never as themselves.
    expect(m).not.toContain("with space");
  });

  it.each([["abcdefgh#ijkl"], ["abcdefgh;ijkl"], ["abcdefghijk\\"], ['"abcdefghijk"']])(
    "refuses the secret key %j: an AWS credentials file would not keep it as written",
    (secretAccessKey) => {
      expect(() => deploy({ offServer: { ...OFF_SERVER_S3, s3: { ...OFF_SERVER_S3.s3, secretAccessKey } } })).toThrow(
        /backups\.offServer\.s3\.secretAccessKey: the value is not a usable secret access key; expected 8 to 256 letters, digits and \+ \/ = _ \. -/,
      );
    },
  );

  it.each([
    ["https://fsn1.your-objectstorage.com"],
    ["https://s3.eu-central-1.amazonaws.com"],
    ["https://10.0.0.5:9000"],
  ])("accepts the endpoint %s", (endpoint) => {
    expect(() => deploy({ offServer: { ...OFF_SERVER_S3, s3: { ...OFF_SERVER_S3.s3, endpoint } } })).not.toThrow();
  });
  it("refuses offServer with on-host backups off: it stores their archives", () => {
    expect(() => deploy({ enabled: false, offServer })).toThrow(
      /backups\.offServer: is set while backups\.enabled is false; expected backups\.enabled: true/,
    );
  });
});

describe("parseHostKeys", () => {
  const ed = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIICf9svRenC/PLKIL9nk6K/pxQgoiFC41wTNvoIncOxs";
  it.each([
    [ed, [ed]],
    [`example.org ${ed} comment`, [ed]],
    [`[example.org]:23 ${ed}\n# a comment\n\nexample.org ${ed}\n`, [ed]],
    [
      `${ed}\necdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY=`,
      [ed, "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY="],
    ],
  ])("reads %j", (text, keys) => expect(parseHostKeys(text)).toEqual(keys));
  it.each([
    [""],
    ["# only a comment"],
    ["ssh-ed25519"],
    ["example.org ssh-dss AAAAB3NzaC1kc3MAAACBAP"],
    [`${ed}\ngarbage`],
  ])("refuses %j", (text) => expect(parseHostKeys(text)).toBeUndefined());
});
