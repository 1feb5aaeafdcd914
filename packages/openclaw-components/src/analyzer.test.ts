/**
 * Pulumi's component analyzer (`@pulumi/pulumi/provider/experimental`) reads
 * `OpenClawDeployment` and its arguments from source and writes the package
 * schema other languages' SDKs are generated from. It accepts no union but
 * string or number literal enums, no intersection, no inline object type, and
 * takes every class property for an output; this keeps the deployment within
 * what it accepts, and checks that what it writes is right (it silently turns
 * some shapes into something else: see the `backups` and "no Any" tests).
 *
 * Offline: no Pulumi CLI, no plugin. The analyzer is experimental; it is
 * called the way `ComponentProvider.getSchema()` calls it, with two
 * differences explained at `packageJSON` below.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const pkgDir = fileURLToPath(new URL("../", import.meta.url));

interface Property {
  type?: string;
  $ref?: string;
  plain?: boolean;
  description?: string;
  items?: Property;
  additionalProperties?: Property;
}
interface Schema {
  resources: Record<
    string,
    {
      inputProperties: Record<string, Property>;
      requiredInputs: string[];
      properties: Record<string, Property>;
      required: string[];
    }
  >;
  types: Record<
    string,
    {
      type: string;
      properties?: Record<string, Property>;
      required?: string[];
      enum?: { name: string; value: string | number }[];
    }
  >;
  dependencies: { name: string; version?: string }[];
}

const TOKEN = "openclaw:index:OpenClawDeployment";
const typeRef = (name: string) => `#/types/openclaw:index:${name}`;

let schema: Schema | undefined;
let refusal: string | undefined;

/** Where the analyzer's tsconfig is written (see below). */
let dir: string | undefined;
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => {
  const { Analyzer } = require("@pulumi/pulumi/provider/experimental/analyzer");
  const { generateSchema } = require("@pulumi/pulumi/provider/experimental/schema");
  // The package's own manifest cannot be used as is: the analyzer reads
  // `exports["."]` as a path string, but ours holds nested `import`/`require`
  // conditions ("jsPath.replace is not a function"). So the source entry point
  // is `main` (it maps .js to .ts). And the analyzer compiles with
  // `<dir>/tsconfig.json`, which the package does not have: the repository's
  // settings with the entry point as the only root, as a package's own
  // tsconfig would be (the root one also holds every test, which made
  // building the program most of this file's time). In the repository, so
  // that `types: ["node"]` resolves.
  const packageJSON = { name: "openclaw", version: "0.0.0", main: `${pkgDir}src/index.js` };
  mkdirSync(join(repoRoot, ".cache"), { recursive: true });
  dir = mkdtempSync(join(repoRoot, ".cache", "analyzer-"));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ extends: `${repoRoot}tsconfig.base.json`, files: [`${pkgDir}src/index.ts`] }),
  );
  try {
    const analyzer = new Analyzer(dir, "openclaw", packageJSON, new Set(["OpenClawDeployment"]));
    const { components, typeDefinitions, dependencies } = analyzer.analyze();
    schema = generateSchema("openclaw", "0.0.0", "", components, typeDefinitions, dependencies) as Schema;
  } catch (e) {
    refusal = (e as Error).message;
  }
}, 120_000);

const written = (): Schema => {
  if (!schema) throw new Error(`no schema: the analyzer refused the deployment: ${refusal}`);
  return schema;
};
const resource = () => written().resources[TOKEN]!;
const type = (name: string) => written().types[`openclaw:index:${name}`]!;

describe("Pulumi's component analyzer on OpenClawDeployment", () => {
  it("uses the repository's TypeScript, not the analyzer's vendored 3.8 fallback", () => {
    const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));
    expect(fromPulumi("typescript").version).toMatch(/^5\./);
  });

  it("accepts the deployment without a refusal", () => {
    expect(refusal).toBeUndefined();
    expect(Object.keys(written().resources)).toEqual([TOKEN]);
  });

  it("has every argument as an input, none required (a Tailscale key or client is checked at construction)", () => {
    expect(Object.keys(resource().inputProperties).sort()).toEqual(
      [
        "tailscaleAuthKey",
        "tailscaleOAuthClient",
        "claudeSetupToken",
        "modelAuth",
        "tailnetDnsName",
        "serverName",
        "serverType",
        "location",
        "image",
        "backups",
        "labels",
        "openclawVersion",
        "model",
        "thinkingDefault",
        "connectionHost",
        "gatewayPort",
        "gatewayTokenVersion",
        "nodeRuntime",
        "sandbox",
        "telegram",
        "schedules",
        "schedulesTimezone",
        "discord",
        "slack",
        "whatsapp",
        "workspaceSync",
        "openclawConfig",
        "agents",
        "verify",
      ].sort(),
    );
    expect(resource().requiredInputs ?? []).toEqual([]);
    expect(resource().inputProperties.tailscaleAuthKey).toMatchObject({ type: "string" });
    expect(resource().inputProperties.gatewayTokenVersion).toMatchObject({ type: "number" });
    expect(resource().inputProperties.labels).toMatchObject({
      type: "object",
      additionalProperties: { type: "string" },
    });
  });

  it("says which inputs are secret (in the description: the analyzer has no secret flag)", () => {
    for (const key of ["tailscaleAuthKey", "claudeSetupToken"])
      expect(resource().inputProperties[key]!.description).toMatch(/\(secret/);
    expect(type("TelegramOptions").properties!.botToken!.description).toMatch(/\(secret\)/);
    expect(type("DiscordOptions").properties!.botToken!.description).toMatch(/secret/);
    expect(type("ProviderApiKey").properties!.apiKey!.description).toMatch(/\(secret\)/);
    expect(type("TailscaleOAuthClientOptions").properties!.clientSecret!.description).toMatch(/\(secret\)/);
  });

  it("keeps `backups` an object (the analyzer reads `Input<boolean> | {…}` as a plain boolean)", () => {
    expect(resource().inputProperties.backups).toMatchObject({ $ref: typeRef("BackupOptions") });
    expect(Object.keys(type("BackupOptions").properties!).sort()).toEqual([
      "enabled",
      "hetzner",
      "keep",
      "offServer",
      "schedule",
    ]);
    expect(type("BackupOptions").properties!.offServer).toMatchObject({ $ref: typeRef("OffServerBackupOptions") });
    // One of two repositories, each an object type of its own.
    expect(type("OffServerBackupOptions").required).toEqual(["password"]);
    expect(type("OffServerBackupOptions").properties!.sftp).toMatchObject({ $ref: typeRef("SftpTargetOptions") });
    expect(type("OffServerBackupOptions").properties!.s3).toMatchObject({ $ref: typeRef("S3TargetOptions") });
    expect(type("SftpTargetOptions").required!.sort()).toEqual(["host", "hostKeys", "path", "user"]);
    expect(type("S3TargetOptions").required!.sort()).toEqual([
      "accessKeyId",
      "bucket",
      "endpoint",
      "path",
      "secretAccessKey",
    ]);
  });

  it("describes the blocks as object types, Telegram with an optional bot token", () => {
    for (const [key, name] of [
      ["sandbox", "SandboxOptions"],
      ["telegram", "TelegramOptions"],
      ["workspaceSync", "WorkspaceSyncOptions"],
      ["nodeRuntime", "NodeRuntimeSettings"],
    ]) {
      expect(resource().inputProperties[key!]).toMatchObject({ $ref: typeRef(name!) });
    }
    expect(type("TelegramOptions").required).toEqual(["userId"]);
    expect(type("TelegramOptions").properties!.userId).toMatchObject({ type: "string" });
    expect(type("TelegramOptions").properties!.schedules).toMatchObject({
      type: "array",
      items: { $ref: typeRef("Schedule") },
    });
    expect(resource().inputProperties.discord).toMatchObject({ $ref: typeRef("DiscordOptions") });
    expect(type("DiscordOptions").required).toEqual(["userIds"]);
    expect(type("DiscordOptions").properties!.userIds).toMatchObject({ type: "array", items: { type: "string" } });
    expect(type("DiscordOptions").properties!.guilds).toMatchObject({
      type: "array",
      items: { $ref: typeRef("DiscordGuildOptions") },
    });
    expect(type("DiscordGuildOptions").required).toEqual(["id"]);
    expect(type("NodeRuntimeSettings").properties!.sha256).toMatchObject({ $ref: typeRef("NodeRuntimeChecksums") });
  });

  it("gives the literal choices as enums", () => {
    const values = (name: string) => type(name).enum!.map((e) => e.value);
    expect(type("SandboxOptions").properties!.mode).toMatchObject({ $ref: typeRef("SandboxMode") });
    expect(values("SandboxMode")).toEqual(["off", "non-main", "all"]);
    expect(type("SandboxOptions").properties!.workspaceAccess).toMatchObject({ $ref: typeRef("WorkspaceAccess") });
    expect(values("WorkspaceAccess")).toEqual(["none", "ro", "rw"]);
    expect(type("Schedule").properties!.session).toMatchObject({ type: "string" });
  });

  it("types everything (members inherited through Omit<…> would silently become Any); only the config patch is free-form JSON", () => {
    const patch = type("OpenClawConfigOptions").properties!.patch;
    expect(patch).toMatchObject({ type: "object", additionalProperties: { $ref: "pulumi.json#/Any" }, plain: true });
    const rest = {
      ...written(),
      types: { ...written().types, [typeRef("OpenClawConfigOptions").replace("#/types/", "")]: {} },
    };
    expect(JSON.stringify(rest)).not.toContain("pulumi.json#/Any");
  });

  it("has the documented outputs, not the child components", () => {
    expect(Object.keys(resource().properties).sort()).toEqual(
      [
        "workspaceDeployPublicKey",
        "agentWorkspaceDeployPublicKeys",
        "offServerBackupPublicKey",
        "verifyStep",
        "verifyReport",
        "serverId",
        "serverIpv4",
        "serverIpv6",
        "tailscaleHostname",
        "connectionHost",
        "tailscaleUrl",
        "tailscaleUrlWithToken",
        "gatewayToken",
        "sshPrivateKey",
      ].sort(),
    );
    expect(resource().properties.verifyReport).toMatchObject({ $ref: typeRef("VerifyReport") });
    expect(written().dependencies.map((d) => d.name)).toEqual(["command"]);
  });
});
