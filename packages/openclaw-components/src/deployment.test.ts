import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { SENTINELS } from "../test/fixtures.js";
import { installMocks, isSecret, settle, valueOf, type MockRecorder } from "./testing/index.js";
import { OpenClawDeployment } from "./index.js";

let mocks: MockRecorder;
let d: OpenClawDeployment;

beforeAll(async () => {
  mocks = await installMocks();
  d = new OpenClawDeployment("openclaw", {
    tailscaleAuthKey: pulumi.secret(SENTINELS.tailscaleAuthKey),
    claudeSetupToken: pulumi.secret(SENTINELS.claudeSetupToken),
    tailnetDnsName: "tail1234.ts.net",
  });
  await valueOf(d.gateway.ready.id);
  await settle();
});

describe("OpenClawDeployment under mocks", () => {
  it("registers the components with type tokens and name-prefixed children", () => {
    const types = mocks.resources.map((r) => r.type);
    expect(types).toContain("openclaw:index:OpenClawDeployment");
    for (const t of ["Network", "Host", "Gateway", "Sandbox", "WorkspaceSync", "OpenClawConfigPatch"])
      expect(types).toContain(`openclaw:index:${t}`);
    expect(types).not.toContain("openclaw:index:TelegramSchedules");
    const root = mocks.byName("openclaw");
    for (const r of mocks.resources.filter((x) => x !== root)) {
      expect(r.name.startsWith("openclaw-"), r.name).toBe(true);
      expect(r.parent, `${r.name} has a parent`).not.toBe("");
    }
    expect(
      mocks
        .childrenOf(root)
        .map((r) => r.name)
        .sort(),
    ).toEqual([
      "openclaw-backups",
      "openclaw-config",
      "openclaw-gateway",
      "openclaw-host",
      "openclaw-network",
      "openclaw-remove-discord",
      "openclaw-remove-slack",
      "openclaw-remove-telegram",
      "openclaw-remove-whatsapp",
      "openclaw-remove-workspace-sync",
      "openclaw-sandbox",
      "openclaw-schedules",
      "openclaw-verify",
      "openclaw-workspace",
    ]);
  });

  it("creates a firewall with zero inbound rules and attaches it at server creation", () => {
    const [fw] = mocks.byType("hcloud:index/firewall:Firewall");
    const rules = fw!.inputs.rules as { direction: string; protocol: string }[];
    expect(rules.filter((r) => r.direction === "in")).toEqual([]);
    expect(rules.map((r) => r.protocol).sort()).toEqual(["icmp", "tcp", "udp"]);
    const [server] = mocks.byType("hcloud:index/server:Server");
    expect(server!.inputs.firewallIds).toEqual([Number(fw!.id)]);
    expect(mocks.byType("hcloud:index/firewallAttachment:FirewallAttachment")).toEqual([]);
  });

  it("gives the server backups, the admin key and the documented defaults", () => {
    const [server] = mocks.byType("hcloud:index/server:Server");
    const [key] = mocks.byType("hcloud:index/sshKey:SshKey");
    expect(server!.inputs).toMatchObject({
      name: "openclaw-vps",
      serverType: "cx33",
      location: "fsn1",
      image: "ubuntu-24.04",
      backups: true,
      labels: { "managed-by": "openclaw-infra-components" },
      sshKeys: [key!.id],
    });
    const [adminKey] = mocks.byType("tls:index/privateKey:PrivateKey");
    expect(adminKey!.inputs.algorithm).toBe("ED25519");
    expect(server!.ignoreChanges).toContain("userData");
    // Old server gone before the new one boots: unique names, one Telegram poller.
    expect(server!.deleteBeforeReplace).toBe(true);
  });

  it("keeps the Tailscale key the only secret in user-data", () => {
    const userData = mocks.userData();
    expect(userData).toContain(SENTINELS.tailscaleAuthKey);
    expect(userData).not.toContain(SENTINELS.claudeSetupToken);
    expect(mocks.byType("Server")[0]!.secretPaths).toContain("userData");
  });

  it("never puts a secret into a plain input, a command or the environment", async () => {
    const gatewayToken = await valueOf(d.gatewayToken);
    const sshKey = await valueOf(d.sshPrivateKey);
    const secrets = [SENTINELS.tailscaleAuthKey, SENTINELS.claudeSetupToken, gatewayToken, sshKey.trim()];
    for (const { resource, path, value } of mocks.plainStrings()) {
      for (const s of secrets) expect(value.includes(s), `${resource}.${path} holds a secret`).toBe(false);
    }
    for (const step of mocks.steps()) {
      for (const s of secrets) {
        expect(step.command.includes(s), `${step.resourceName} command`).toBe(false);
        expect(JSON.stringify(step.environment).includes(s), `${step.resourceName} environment`).toBe(false);
      }
    }
    // The secrets that do reach the host travel in secret stdin.
    const configure = mocks.step("configure-gateway");
    expect(configure.stdin).toContain(SENTINELS.claudeSetupToken);
    expect(configure.stdin).toContain(gatewayToken);
    expect(configure.resource.secretPaths).toContain("stdin");
    expect(configure.logging).toBe("none");
  });

  it("runs every remote step as the admin user against the tailnet host, deleted with the server", () => {
    const [server] = mocks.byType("hcloud:index/server:Server");
    const steps = mocks.steps();
    expect(steps.map((s) => s.resourceName)).toEqual([
      "openclaw-gateway-wait-for-host",
      "openclaw-gateway-install-openclaw",
      "openclaw-gateway-configure-gateway",
      "openclaw-gateway-start-gateway",
      "openclaw-sandbox-install-docker",
      "openclaw-sandbox-build-sandbox-image",
      "openclaw-sandbox-configure-sandbox",
      // Telegram and the workspace sync are off: what they would leave behind is removed.
      "openclaw-remove-discord",
      "openclaw-remove-slack",
      "openclaw-remove-whatsapp",
      "openclaw-remove-telegram",
      // No jobs declared: the sync removes the ones the library made.
      "openclaw-schedules-sync-schedules",
      "openclaw-remove-workspace-sync",
      "openclaw-backups-install-backup-timer",
      // Always there: without openclawConfig it deletes what an earlier patch set.
      "openclaw-config-apply-openclaw-config",
      "openclaw-verify",
    ]);
    // Without repoUrl the workspace sync has its deploy key but no on-host step.
    expect(mocks.byType("tls:index/privateKey:PrivateKey").map((k) => k.name)).toContain(
      "openclaw-workspace-deploy-key",
    );
    for (const s of steps) {
      expect(s.host).toBe("openclaw-vps.tail1234.ts.net");
      expect(s.host).not.toContain("203.0.113.");
      expect(s.user).toBe("ubuntu");
      expect(s.resource.deletedWith).toBe(server!.urn);
      expect(s.triggers).toEqual([server!.id]);
      // Pulumi marks the whole connection object secret because it holds the key.
      expect(s.resource.secretPaths.some((p) => p === "connection" || p === "connection.privateKey")).toBe(true);
      expect(s.resource.inputs.addPreviousOutputInEnv).toBe(false);
    }
    // Each step waits for the one before it.
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.resource.dependsOn).toContain(steps[i - 1]!.resource.urn);
    expect(
      (mocks.step("wait-for-host").resource.inputs.connection as { dialErrorLimit: number }).dialErrorLimit,
    ).toBeGreaterThan(10);
  });

  it("passes the pinned versions and the default model to the host", () => {
    expect(mocks.step("install-openclaw").environment).toMatchObject({
      OPENCLAW_VERSION: "2026.9.6",
      OPENCLAW_NODE_VERSION: "24.21.0",
    });
    const config = JSON.parse(mocks.step("configure-gateway").stdin!.split("\n").slice(2).join("\n"));
    expect(config.agents.defaults).toEqual({ model: { primary: "anthropic/claude-opus-5" }, thinkingDefault: "high" });
    expect(config.gateway).toMatchObject({ bind: "loopback", port: 18789, tailscale: { mode: "serve" } });
  });

  it("marks secret outputs as secret and exposes the URLs", async () => {
    expect(await isSecret(d.gatewayToken)).toBe(true);
    expect(await isSecret(d.sshPrivateKey)).toBe(true);
    expect(await isSecret(d.tailscaleUrlWithToken)).toBe(true);
    expect(await isSecret(d.tailscaleUrl)).toBe(false);
    expect(await isSecret(d.connectionHost)).toBe(false);
    expect(await valueOf(d.tailscaleUrl)).toBe("https://openclaw-vps.tail1234.ts.net/");
    const token = await valueOf(d.gatewayToken);
    expect(token).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(await valueOf(d.tailscaleUrlWithToken)).toBe(`https://openclaw-vps.tail1234.ts.net/#token=${token}`);
    expect(await valueOf(d.connectionHost)).toBe("openclaw-vps.tail1234.ts.net");
    expect(await valueOf(d.tailscaleHostname)).toBe("openclaw-vps");
    expect(await valueOf(d.serverIpv4)).toMatch(/^203\.0\.113\./);
    expect(await valueOf(d.serverId)).toMatch(/^\d+$/);
    const [token48] = mocks.byType("random:index/randomPassword:RandomPassword");
    expect(token48!.inputs).toMatchObject({ length: 48, special: false });
  });

  it("renders user-data as YAML that starts with #cloud-config", () => {
    const userData = mocks.userData();
    expect(userData.startsWith("#cloud-config\n")).toBe(true);
    const doc = parse(userData, { version: "1.1" });
    expect(doc.users[0]).toMatchObject({ name: "ubuntu", groups: ["sudo", "docker"], lock_passwd: true });
    expect(doc.groups).toEqual(["docker"]);
    expect(doc.ssh_pwauth).toBe(false);
    expect(doc.runcmd[0]).toEqual(["bash", "/usr/local/lib/openclaw-infra/bootstrap.sh", "openclaw-vps", "ubuntu"]);
    expect(Buffer.byteLength(userData)).toBeLessThan(16 * 1024);
  });
});
