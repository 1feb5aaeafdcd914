/**
 * A new server restores OpenClaw's state from the off-server repository: the
 * restore-state step, where it runs in the order, what it carries, and the
 * login key it shares with the backups.
 */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { beforeAll, describe, expect, it } from "vitest";
import { OFF_SERVER, OFF_SERVER_S3, SENTINELS } from "../../test/fixtures.js";
import { installMocks, settle, valueOf, type MockRecorder } from "../testing/index.js";
import { Gateway, Host, OpenClawDeployment, StateBackups, type OpenClawDeploymentArgs } from "../index.js";

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
function deploy(backups: OpenClawDeploymentArgs["backups"]): { d: OpenClawDeployment; name: string } {
  const name = `rst${++n}`;
  return { d: new OpenClawDeployment(name, { ...base, serverName: `${name}-vps`, backups }), name };
}
const stepNames = (name: string) =>
  mocks
    .steps()
    .filter((s) => s.resourceName.startsWith(`${name}-`))
    .map((s) => s.resourceName.slice(name.length + 1));

describe("restore-state: a new server restores the newest off-server snapshot before it is configured", () => {
  it("runs right after install-openclaw, with the repository's login on stdin only, the key the backups use", async () => {
    const { d, name } = deploy({ offServer });
    await valueOf(d.offServerBackupPublicKey);
    await settle();
    expect(stepNames(name).slice(0, 5)).toEqual([
      "gateway-wait-for-host",
      "gateway-install-openclaw",
      "gateway-restore-state",
      "gateway-configure-gateway",
      "gateway-start-gateway",
    ]);
    const restore = mocks.step(`${name}-gateway-restore-state`);
    expect(restore.resource.dependsOn).toContain(mocks.byName(`${name}-gateway-install-openclaw`).urn);
    expect(mocks.byName(`${name}-gateway-configure-gateway`).dependsOn).toContain(restore.resource.urn);
    // The same repository as the backups, and the same login: one key, made once.
    const install = mocks.step(`${name}-backups-install-backup-timer`);
    for (const v of [
      "OPENCLAW_OFF_SERVER_SETTINGS",
      "OPENCLAW_OFF_SERVER_SSH_CONFIG",
      "OPENCLAW_OFF_SERVER_KNOWN_HOSTS",
    ])
      expect(restore.environment[v], v).toBe(install.environment[v]);
    expect(restore.environment.OPENCLAW_GATEWAY_PORT).toBe("18789");
    expect(restore.stdin).toBe(install.stdin);
    expect(restore.stdin!.split("\n")[0]).toBe(OFF_SERVER.password);
    expect(restore.stdin).toContain("-----BEGIN OPENSSH PRIVATE KEY-----");
    expect(
      mocks.byType("PrivateKey").filter((k) => k.name.startsWith(`${name}-`) && k.name.endsWith("off-server-key")),
    ).toHaveLength(1);
    expect(restore.logging).toBe("none");
    expect(restore.resource.secretPaths).toContain("stdin");
    expect(restore.resource.additionalSecretOutputs).toEqual(expect.arrayContaining(["stdout", "stderr"]));
    expect(mocks.plainStrings().filter((s) => s.value.includes(OFF_SERVER.password))).toEqual([]);
    // A replacement runs it again: the new server's id is among its triggers.
    expect(restore.triggers).toEqual([mocks.byName(`${name}-host-server`).id]);
  });

  it("keeps the login key where it was: the key is the deployment's child now, aliased to its URN as the backups' child", async () => {
    const { d, name } = deploy({ offServer });
    await valueOf(d.offServerBackupPublicKey);
    await settle();
    const key = d.backups!.offServerKey!;
    const recorded = mocks.byName(`${name}-backups-off-server-key`);
    expect(recorded.parent).toBe(mocks.byName(name).urn);
    const backupsUrn = mocks.byName(`${name}-backups`).urn;
    // Under the backups, its URN was the backups' type path, then the key's type, then the same name.
    const before = backupsUrn.replace(/::[^:]+$/, `$tls:index/privateKey:PrivateKey::${name}-backups-off-server-key`);
    expect(before).not.toBe(recorded.urn);
    const aliases = await Promise.all(
      (key as unknown as { __aliases: pulumi.Output<string>[] }).__aliases.map((a) => valueOf(a)),
    );
    expect(aliases).toEqual([before]);
  });

  it("with S3: no key, the key pair and password on stdin", async () => {
    const { d, name } = deploy({ offServer: OFF_SERVER_S3 });
    await valueOf(d.offServerBackupPublicKey);
    await settle();
    const restore = mocks.step(`${name}-gateway-restore-state`);
    expect(restore.stdin).toContain(`aws_secret_access_key = ${SENTINELS.offServerS3SecretKey}`);
    expect(JSON.parse(restore.environment.OPENCLAW_OFF_SERVER_SETTINGS!).transport).toBe("s3");
    expect(mocks.plainStrings().filter((s) => s.value.includes(SENTINELS.offServerS3SecretKey))).toEqual([]);
  });

  it("without off-server backups there is no restore-state step: a new server starts empty", async () => {
    const { d, name } = deploy({});
    await valueOf(d.gateway.ready.id);
    await settle();
    expect(stepNames(name)).not.toContain("gateway-restore-state");
    expect(stepNames(name).slice(0, 4)).toEqual([
      "gateway-wait-for-host",
      "gateway-install-openclaw",
      "gateway-configure-gateway",
      "gateway-start-gateway",
    ]);
  });
});

describe("Gateway.restoreFrom and StateBackups.offServerKey on their own", () => {
  const host = (name: string) =>
    new Host(`${name}-host`, {
      tailscaleAuthKey: pulumi.secret(SENTINELS.tailscaleAuthKey),
      firewallIds: [],
      serverName: name,
    });

  it("compose by hand: one key for the gateway's restore and the backups' login", async () => {
    const key = new tls.PrivateKey("solo-rst-key", { algorithm: "ED25519" });
    const gateway = new Gateway("solo-rst-gw", {
      host: host("solo-rst"),
      claudeSetupToken: pulumi.secret(SENTINELS.claudeSetupToken),
      restoreFrom: { offServer, offServerPrivateKey: key.privateKeyOpenssh },
    });
    const backups = new StateBackups("solo-rst-backups", { gateway, offServer, offServerKey: key });
    expect(backups.offServerKey).toBe(key);
    await valueOf(backups.ready.id);
    await settle();
    // No key of the backups' own: the one given is the only login key.
    expect(
      mocks
        .byType("PrivateKey")
        .map((k) => k.name)
        .filter((k) => k.startsWith("solo-rst-") && !k.includes("-host-")),
    ).toEqual(["solo-rst-key"]);
    expect(mocks.step("solo-rst-gw-restore-state").stdin).toBe(
      mocks.step("solo-rst-backups-install-backup-timer").stdin,
    );
    expect(gateway.steps.restoreState).toBeDefined();
  });

  it("refuses an SFTP repository without the login key and an unknown key, naming each", () => {
    expect(
      () =>
        new Gateway("solo-rst-bad", {
          host: host("solo-rst-bad"),
          claudeSetupToken: pulumi.secret(SENTINELS.claudeSetupToken),
          restoreFrom: { offServer, keyFile: "~/.ssh/id" } as never,
        }),
    ).toThrow(
      /restoreFrom\.keyFile: is not an argument this library knows[\s\S]*restoreFrom\.offServerPrivateKey: is missing for an SFTP repository/,
    );
  });
});
