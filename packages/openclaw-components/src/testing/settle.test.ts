/**
 * A bad argument that comes as an Output fails when it resolves, and rejects
 * every Output built on it. settle() must reject once, with the message, and
 * leave no unhandled rejection behind: vitest fails this file if any is left.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { fullArgs } from "../../test/fixtures.js";
import { installMocks, settle } from "./index.js";

describe("settle() with a badly shaped secret Output", () => {
  beforeAll(async () => {
    await installMocks();
  });

  it("rejects once, naming the argument, never echoing the secret", async () => {
    const { OpenClawDeployment } = await import("../index.js");
    new OpenClawDeployment("openclaw", fullArgs({ claudeSetupToken: pulumi.secret("sk-ant-SECRETVALUE-short") }));
    const error = await settle().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(/claudeSetupToken: the value is not an Anthropic setup token/);
    expect(error!.message).not.toContain("SECRETVALUE");
    // A later settle() has nothing left to report.
    await expect(settle()).resolves.toBeUndefined();
  });

  it("rejects with every distinct error when several arguments are bad", async () => {
    const { OpenClawDeployment } = await import("../index.js");
    new OpenClawDeployment(
      "second",
      fullArgs({
        serverName: "second",
        claudeSetupToken: pulumi.secret("bad-token"),
        telegram: { botToken: pulumi.secret("not-a-bot-token"), userId: "42" },
      }),
    );
    const error = await settle().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors).toHaveLength(2);
    expect(error!.message).toMatch(
      /claudeSetupToken[\s\S]*telegram\.botToken|telegram\.botToken[\s\S]*claudeSetupToken/,
    );
  });
});
