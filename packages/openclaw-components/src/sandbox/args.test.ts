import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ArgValidator } from "../validate/validator.js";
import { resolveSandboxArgs, sandboxSettings } from "./args.js";

const gw = { port: 18790, openclawVersion: "2026.9.6", nodeVersion: "24.21.0", modelProviders: ["anthropic" as const] };

function problems(args: Parameters<typeof resolveSandboxArgs>[0]): string {
  const v = new ArgValidator("Sandbox");
  resolveSandboxArgs(args, v, "sandbox.");
  try {
    v.throwIfInvalid();
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}

describe("sandbox arguments", () => {
  it("settle on the documented defaults and take the port and versions from the gateway", () => {
    const s = sandboxSettings(resolveSandboxArgs({}, new ArgValidator("t")) as never, gw);
    expect(s).toMatchObject({
      mode: "all",
      workspaceAccess: "rw",
      network: "bridge",
      image: "openclaw-sandbox-custom:latest",
      port: 18790,
      openclawVersion: "2026.9.6",
      nodeVersion: "24.21.0",
    });
    expect(
      s.dockerfile
        .trimEnd()
        .split("\n")
        .filter((l) => l.startsWith("USER "))
        .pop(),
    ).toBe("USER 1000:1000");
  });

  it("put extra lines before the final USER, as root", () => {
    const s = sandboxSettings(
      resolveSandboxArgs({ dockerfileExtras: ["RUN apt-get install -y ffmpeg"] }, new ArgValidator("t")) as never,
      gw,
    );
    const lines = s.dockerfile.split("\n");
    expect(lines.indexOf("RUN apt-get install -y ffmpeg")).toBeGreaterThan(lines.indexOf("USER root"));
    expect(lines.indexOf("RUN apt-get install -y ffmpeg")).toBeLessThan(lines.indexOf("USER 1000:1000"));
  });

  it.each([
    [{ network: "host" }, /sandbox\.network[\s\S]*would give sandboxes the host's network/],
    [{ image: "My/Image" }, /sandbox\.image[\s\S]*is not a Docker image reference/],
    [{ dockerfileExtras: ["USER root"] }, /sandbox\.dockerfileExtras[\s\S]*switches USER/],
    [{ dockerfileExtras: ["RUN a\nRUN b"] }, /sandbox\.dockerfileExtras/],
    [{ mode: "some" as never }, /sandbox\.mode[\s\S]*one of off, non-main, all/],
    [{ dockerfile: "/nonexistent/Dockerfile" }, /sandbox\.dockerfile[\s\S]*cannot be read \(ENOENT\)/],
  ])("refuse %j", (args, message) => expect(problems(args)).toMatch(message));
});

describe("a Dockerfile the build step's environment cannot carry", () => {
  it("refuses extra lines over 64 KiB together, naming the argument", () =>
    expect(problems({ dockerfileExtras: Array.from({ length: 3 }, () => `RUN true # ${"x".repeat(30_000)}`) })).toMatch(
      /sandbox\.dockerfileExtras: .*are 90\d{3} bytes together; expected at most 65536 bytes/,
    ));

  it("refuses a custom dockerfile over 64 KiB, naming the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "sandbox-args-"));
    try {
      const file = join(dir, "Dockerfile");
      writeFileSync(file, `FROM debian\n# ${"x".repeat(70_000)}\nUSER 1000:1000\n`);
      expect(problems({ dockerfile: file })).toMatch(/sandbox\.dockerfile: ".*Dockerfile" is 700\d\d bytes long/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("dockerfileExtras the image build would misread", () => {
  it.each([["RUN apt-get install -y \\"], ["RUN echo \u0000"], ["  user 00"]])("refuses %j", (line) =>
    expect(problems({ dockerfileExtras: [line] })).toMatch(/sandbox\.dockerfileExtras/),
  );
});
