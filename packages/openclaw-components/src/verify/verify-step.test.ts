import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { fullArgs, full, RENDER_SECRETS } from "../../test/fixtures.js";
import { renderDeployment } from "../render.js";
import { installMocks, settle, valueOf, type MockRecorder } from "../testing/index.js";
import { OpenClawDeployment } from "../index.js";
import { parseVerifyReport, renderVerifyStep, stepsDigest } from "./verify-step.js";

describe("the verify step", () => {
  it("expects what the deployment declares", () => {
    const r = renderDeployment(full, RENDER_SECRETS);
    const verify = r.steps[r.steps.length - 1]!;
    expect(verify.name).toBe("verify");
    expect(verify.secret).toBe(false);
    expect(verify.stdin).toBeUndefined();
    expect(verify.environment).toMatchObject({
      OPENCLAW_GATEWAY_PORT: "18789",
      OPENCLAW_VERSION: "2026.9.6",
      OPENCLAW_VERIFY_SANDBOX_IMAGE: "openclaw-sandbox-custom:latest",
      OPENCLAW_VERIFY_SYNC_TIMER: "yes",
      OPENCLAW_VERIFY_INPUTS: stepsDigest(r.steps.slice(0, -1)),
    });
    expect(JSON.parse(verify.environment.OPENCLAW_VERIFY_SCHEDULE_KEYS!)).toEqual(r.schedules.map((j) => j.key));
  });

  it("leaves out what is not deployed, and is gone with verify: false", () => {
    const bare = renderDeployment(
      { ...full, sandbox: { enabled: false }, telegram: undefined, workspaceSync: undefined },
      RENDER_SECRETS,
    );
    expect(bare.steps.at(-1)!.environment).toMatchObject({
      OPENCLAW_VERIFY_SANDBOX_IMAGE: "",
      OPENCLAW_VERIFY_SCHEDULE_KEYS: "",
      OPENCLAW_VERIFY_SYNC_TIMER: "no",
    });
    expect(renderDeployment({ ...full, verify: false }, RENDER_SECRETS).steps.map((s) => s.name)).not.toContain(
      "verify",
    );
  });

  it("never hashes secret stdin into its inputs", () => {
    const a = renderDeployment(full, RENDER_SECRETS).steps.at(-1)!;
    const b = renderDeployment(
      { ...full, claudeSetupToken: `sk-ant-oat01-${"q".repeat(90)}` },
      RENDER_SECRETS,
    ).steps.at(-1)!;
    expect(a.environment.OPENCLAW_VERIFY_INPUTS).toBe(b.environment.OPENCLAW_VERIFY_INPUTS);
    const other = renderVerifyStep({
      port: 1,
      openclawVersion: "2026.9.6",
      nodeVersion: "24.21.0",
      nodeName: "vps",
      syncTimer: false,
      otherSteps: [],
    });
    expect(other.environment.OPENCLAW_VERIFY_INPUTS).toMatch(/^[0-9a-f]{64}$/);
  });

  it("expects the node under the server's name in the tailnet, the pinned Node, and Discord, Slack, WhatsApp and Telegram connected", () => {
    const env = (args: typeof full) => renderDeployment(args, RENDER_SECRETS).steps.at(-1)!.environment;
    expect(env({ ...full, serverName: "assistant" })).toMatchObject({
      OPENCLAW_VERIFY_NODE_NAME: "assistant.tail1234.ts.net",
      OPENCLAW_NODE_VERSION: "24.21.0",
      OPENCLAW_VERIFY_CHANNELS: '["discord","slack","whatsapp","telegram"]',
    });
    const { tailnetDnsName: _t, telegram: _tg, discord: _d, slack: _s, whatsapp: _w, ...bare } = full;
    expect(env(bare)).toMatchObject({ OPENCLAW_VERIFY_NODE_NAME: "openclaw-vps", OPENCLAW_VERIFY_CHANNELS: "[]" });
  });

  it("reads the JSON report from the step's output", () => {
    const out =
      'PASS tailnet  BackendState Running\n{"host":"vps","ok":false,"checks":[{"name":"tailnet","ok":true,"detail":"x"},{"name":"linger","ok":false,"detail":"Linger=no"}]}\nunchanged\n';
    expect(parseVerifyReport(out)).toEqual({
      host: "vps",
      ok: false,
      checks: [
        { name: "tailnet", ok: true, detail: "x" },
        { name: "linger", ok: false, detail: "Linger=no" },
      ],
    });
    expect(parseVerifyReport("changed\n")).toBeUndefined();
  });
});

describe("verify in the deployment", () => {
  let mocks: MockRecorder;
  beforeAll(async () => {
    mocks = await installMocks();
  });

  it("runs last, after every other step, and exposes its report", async () => {
    const d = new OpenClawDeployment("v", fullArgs({ serverName: "v-vps" }));
    await valueOf(d.workspaceDeployPublicKey);
    await settle();
    const steps = mocks.steps();
    const verify = mocks.step("v-verify");
    expect(steps.at(-1)!.resourceName).toBe("v-verify");
    expect(verify.resource.dependsOn).toContain(mocks.byName("v-config-apply-openclaw-config").urn);
    expect(mocks.step("v-config-apply-openclaw-config").resource.dependsOn).toContain(
      mocks.byName("v-backups-install-backup-timer").urn,
    );
    expect(verify.resource.parent).toBe(mocks.byName("v").urn);
    expect(verify.logging).toBe("stdoutAndStderr");
    // The mocks answer "changed": no report in it.
    expect(await valueOf(d.verifyReport)).toBeUndefined();
    expect(await pulumi.isSecret(d.verifyReport)).toBe(false);
  });
});
