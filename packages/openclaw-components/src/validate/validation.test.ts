import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { SENTINELS } from "../../test/fixtures.js";
import { installMocks, type MockRecorder } from "../testing/index.js";
import * as rules from "./rules.js";
import { ArgValidator } from "./validator.js";
import { OpenClawDeployment, OpenClawArgsError, type OpenClawDeploymentArgs } from "../index.js";
import { DEFAULT_NODE_RUNTIME } from "../versions.js";

let mocks: MockRecorder;
beforeAll(async () => {
  mocks = await installMocks();
});

const base: OpenClawDeploymentArgs = {
  tailscaleAuthKey: pulumi.secret(SENTINELS.tailscaleAuthKey),
  claudeSetupToken: pulumi.secret(SENTINELS.claudeSetupToken),
};

function errorOf(args: Partial<OpenClawDeploymentArgs>): OpenClawArgsError {
  try {
    new OpenClawDeployment(`bad-${Math.random().toString(36).slice(2, 8)}`, { ...base, ...args });
  } catch (e) {
    expect(e).toBeInstanceOf(OpenClawArgsError);
    return e as OpenClawArgsError;
  }
  throw new Error("expected construction to fail");
}

describe("argument validation at construction", () => {
  const cases: [string, Partial<OpenClawDeploymentArgs>, RegExp][] = [
    [
      "serverName",
      { serverName: "Open_Claw" },
      /serverName: "Open_Claw" is not an RFC 1123 label; expected 1-63 lowercase/,
    ],
    ["serverName", { serverName: "a".repeat(64) }, /serverName: "a{64}" is 64 characters long/],
    ["serverName", { serverName: "-vps" }, /serverName: "-vps" is not an RFC 1123 label/],
    [
      "location",
      { location: "fra1" },
      /location: "fra1" is not a known Hetzner location; expected one of fsn1, nbg1, hel1/,
    ],
    [
      "serverType",
      { serverType: "cx22" },
      /serverType: "cx22" can no longer be ordered from Hetzner; expected a current type such as "cx23"/,
    ],
    ["serverType", { serverType: "cx32" }, /serverType: "cx32" can no longer be ordered.*"cx33"/],
    ["serverType", { serverType: "m1.large" }, /serverType: "m1.large" is not a known Hetzner server type/],
    [
      "gatewayPort",
      { gatewayPort: 80 },
      /gatewayPort: 80 is not an unprivileged TCP port; expected an integer from 1024 to 65535/,
    ],
    ["gatewayPort", { gatewayPort: 70000 }, /gatewayPort: 70000 is not an unprivileged TCP port/],
    [
      "openclawVersion",
      { openclawVersion: "latest" },
      /openclawVersion: "latest" is not an OpenClaw release version; expected a calendar version/,
    ],
    [
      "nodeRuntime",
      { nodeRuntime: { ...DEFAULT_NODE_RUNTIME, version: "24.21.0\nsudo id" } },
      /nodeRuntime: .* has a version that is not MAJOR\.MINOR\.PATCH; expected version such as "24\.21\.0"/,
    ],
    [
      "nodeRuntime",
      { nodeRuntime: { ...DEFAULT_NODE_RUNTIME, version: "22.11.0" } },
      /nodeRuntime: .* has a Node version OpenClaw cannot run on; expected Node >= 24\.16/,
    ],
    [
      "nodeRuntime",
      { nodeRuntime: { ...DEFAULT_NODE_RUNTIME, distBaseUrl: "-o/tmp/x" } },
      /nodeRuntime: .* has a distBaseUrl that is not a plain http\(s\) URL/,
    ],
    [
      "nodeRuntime",
      { nodeRuntime: { ...DEFAULT_NODE_RUNTIME, distBaseUrl: "https://example.org/dist'; id; '" } },
      /nodeRuntime: .* has a distBaseUrl that is not a plain http\(s\) URL/,
    ],
    [
      "nodeRuntime",
      { nodeRuntime: { ...DEFAULT_NODE_RUNTIME, sha256: { x64: "abc", arm64: DEFAULT_NODE_RUNTIME.sha256.arm64 } } },
      /nodeRuntime: .* has a sha256 that is not \{ x64, arm64 \}/,
    ],
    [
      "nodeRuntime",
      { nodeRuntime: { ...DEFAULT_NODE_RUNTIME, mirror: "x" } as never },
      /nodeRuntime: .* has unknown key\(s\) mirror/,
    ],
    [
      "image",
      { image: "" },
      / {2}- image: "" is not a Hetzner image name or id; expected an image name such as "ubuntu-24\.04"/,
    ],
    [
      "tailscaleAuthKey",
      { tailscaleAuthKey: "https://login.tailscale.com/admin/settings/keys" },
      / {2}- tailscaleAuthKey: the value is not a Tailscale auth key; expected a key from the admin console's Keys page/,
    ],
    [
      "claudeSetupToken",
      { claudeSetupToken: `${SENTINELS.claudeSetupToken}\nQ` },
      / {2}- claudeSetupToken: the value is not an Anthropic setup token/,
    ],
    [
      "a misspelt block",
      { telegarm: { userId: "1" } } as never,
      / {2}- telegarm: is not an argument this library knows; expected "telegram" \(the nearest known one\)\./,
    ],
    [
      "a block this library lacks",
      { signal: { token: "x" } } as never,
      / {2}- signal: is not an argument this library knows; expected one of tailscaleAuthKey, tailscaleOAuthClient, claudeSetupToken, /,
    ],
    [
      "a misspelt nested key",
      { sandbox: { netwrok: "none" } } as never,
      / {2}- sandbox\.netwrok: is not an argument this library knows; expected "network"/,
    ],
    [
      "a misspelt key in a switched-off block",
      { telegram: { userID: "1" } } as never,
      / {2}- telegram\.userID: is not an argument this library knows; expected "userId"/,
    ],
    ["a misspelt key in backups", { backups: { kepe: 3 } } as never, / {2}- backups\.kepe: .*expected "keep"/],
    [
      "a misspelt key in workspaceSync",
      { workspaceSync: { repoURL: "git@github.com:a/b.git" } } as never,
      / {2}- workspaceSync\.repoURL: .*expected "repoUrl"/,
    ],
    [
      "a job written with at instead of cron",
      {
        telegram: {
          botToken: pulumi.secret(SENTINELS.telegramBotToken),
          userId: "1",
          schedules: [{ name: "Standup", at: "09:30", message: "Hi" }],
        },
      } as never,
      /telegram\.schedules\[0\]\.at: is not an argument this library knows; expected one of name, cron, message, timezone, session/,
    ],
    [
      "openclawVersion",
      { openclawVersion: "^2026.9.6" },
      /openclawVersion: "\^2026.9.6" is not an OpenClaw release version/,
    ],
    [
      "model",
      { model: "claude-opus-5" },
      /model: "claude-opus-5" is not a model id; expected the form "provider\/model"/,
    ],
    ["thinkingDefault", { thinkingDefault: "extreme" }, /thinkingDefault: "extreme" is not a thinking level/],
    [
      "tailnetDnsName",
      { tailnetDnsName: "https://tail1234.ts.net" },
      /tailnetDnsName: "https:\/\/tail1234.ts.net" is not a tailnet DNS name/,
    ],
    ["tailnetDnsName", { tailnetDnsName: "ts" }, /tailnetDnsName: "ts" is not a tailnet DNS name/],
    [
      "connectionHost",
      { connectionHost: "not a host" },
      /connectionHost: "not a host" is neither a host name nor an IP address/,
    ],
    ["labels", { labels: { "bad key!": "x" } }, /labels: .* has an invalid key "bad key!"/],
  ];

  it.each(cases)("rejects a bad %s, naming the argument, the problem and the expected form", (_arg, args, message) => {
    const before = mocks.resources.length;
    const err = errorOf(args);
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/^OpenClawDeployment "bad-[a-z0-9]+": invalid argument/);
    expect(mocks.resources.length, "nothing registered").toBe(before);
  });

  it("reports every bad argument at once", () => {
    const err = errorOf({ serverName: "BAD", location: "mars", model: "nope" });
    expect(err.issues.map((i) => i.path).sort()).toEqual(["location", "model", "serverName"]);
  });

  it("never echoes a secret in an error", () => {
    const err = errorOf({ claudeSetupToken: "sk-live-NOT-A-SETUP-TOKEN", serverName: "BAD" });
    expect(err.message).toMatch(
      /claudeSetupToken: the value is not an Anthropic setup token; expected the output of `claude setup-token`/,
    );
    expect(err.message).not.toContain("sk-live-NOT-A-SETUP-TOKEN");
    const empty = errorOf({ tailscaleAuthKey: " ", serverName: "BAD" });
    expect(empty.message).toMatch(/tailscaleAuthKey: the value is not a Tailscale auth key/);
    const pasted = errorOf({
      tailscaleAuthKey: `${SENTINELS.tailscaleAuthKey} and more`,
      claudeSetupToken: `${SENTINELS.claudeSetupToken}\nQ`,
    });
    expect(pasted.message).not.toContain("SENTINEL");
  });

  it("checks an Output argument when it resolves, with the same message", async () => {
    const v = new ArgValidator('OpenClawDeployment "late"');
    const checked = v.check("location", pulumi.output("mars"), rules.location) as pulumi.Output<string>;
    v.throwIfInvalid(); // nothing known yet: construction goes on
    const internal = checked as unknown as {
      promise(): Promise<string>;
      isKnown: Promise<boolean>;
      isSecret: Promise<boolean>;
    };
    // An Output carries side promises (known-ness, secretness) that reject too.
    internal.isKnown.catch(() => undefined);
    internal.isSecret.catch(() => undefined);
    await expect(internal.promise()).rejects.toThrow(
      'OpenClawDeployment "late": invalid argument:\n  - location: "mars" is not a known Hetzner location; expected one of fsn1, nbg1, hel1, ash, hil, sin.',
    );
    const ok = v.check("location", pulumi.output("hel1"), rules.location) as pulumi.Output<string>;
    expect(await (ok as unknown as { promise(): Promise<string> }).promise()).toBe("hel1");
  });

  it("checks a list with every problem at once: recorded now when plain, thrown together when an Output resolves", async () => {
    const issuesOf = (list: string[]) =>
      list.flatMap((x, i) => (x === "ok" ? [] : [{ path: `jobs[${i}]`, problem: "is bad", expected: "ok" }]));
    const plain = new ArgValidator('OpenClawDeployment "now"');
    expect(plain.checkAll(["ok", "x", "y"], issuesOf)).toEqual(["ok", "x", "y"]);
    expect(() => plain.throwIfInvalid()).toThrow(/- jobs\[1\]: is bad; expected ok\.\n {2}- jobs\[2\]: is bad/);

    const v = new ArgValidator('OpenClawDeployment "late"');
    const checked = v.checkAll(pulumi.output(["x", "ok", "y"]), issuesOf) as pulumi.Output<string[]>;
    v.throwIfInvalid(); // nothing known yet: construction goes on
    const internal = checked as unknown as {
      promise(): Promise<string[]>;
      isKnown: Promise<boolean>;
      isSecret: Promise<boolean>;
    };
    internal.isKnown.catch(() => undefined);
    internal.isSecret.catch(() => undefined);
    await expect(internal.promise()).rejects.toThrow(
      'OpenClawDeployment "late": invalid arguments:\n  - jobs[0]: is bad; expected ok.\n  - jobs[2]: is bad; expected ok.',
    );
    const ok = v.checkAll(pulumi.output(["ok"]), issuesOf) as unknown as { promise(): Promise<string[]> };
    expect(await ok.promise()).toEqual(["ok"]);
  });
});

describe("rules accept what they should", () => {
  it.each(["fsn1", "nbg1", "hel1", "ash", "hil", "sin"])("location %s", (l) =>
    expect(rules.location(l)).toBeUndefined(),
  );
  it.each(["cx23", "cx33", "cax11", "cax21", "cpx31", "ccx13"])("server type %s", (t) =>
    expect(rules.serverType(t)).toBeUndefined(),
  );
  it.each(["openclaw-vps", "a", "vps-01", "x".repeat(63)])("server name %s", (n) =>
    expect(rules.serverName(n)).toBeUndefined(),
  );
  it.each(["2026.9.6", "2026.10.0", "2027.1.12-beta.1"])("version %s", (ver) =>
    expect(rules.openclawVersion(ver)).toBeUndefined(),
  );
  it.each([
    "anthropic/claude-opus-5",
    "anthropic/claude-sonnet-4-6",
    "openrouter/meta-llama/llama-4",
    "openrouter/auto",
  ])("model %s", (m) => expect(rules.modelId(m)).toBeUndefined());
  it.each(["openrouter/a/b/c", "openrouter//x", "openrouter/x/", "/x", "anthropic/x/y", "openai/a/b"])(
    "not a model: %s",
    (m) => expect(rules.modelId(m)).toBeDefined(),
  );
  it.each(["tail1234.ts.net", "example.com.", "corp.internal"])("tailnet %s", (t) =>
    expect(rules.tailnetDnsName(t)).toBeUndefined(),
  );
  it.each(["openclaw-vps.tail1234.ts.net", "100.101.102.103", "fd7a:115c:a1e0::1", "openclaw-vps"])(
    "connection host %s",
    (h) => expect(rules.hostAddress(h)).toBeUndefined(),
  );
});
