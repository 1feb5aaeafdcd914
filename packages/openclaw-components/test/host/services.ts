/**
 * Host tier: The fake services on the public side (fake-services.mjs as a child
 * process): the Node archive, the Bot API and Tailscale's apt repository.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HERE } from "./run.js";
import { onCleanup } from "./cleanup.js";

export interface FakeRequest {
  t: number;
  kind: "dist" | "bot" | "apt" | "other";
  method: string;
  path: string;
  status?: number;
}

export class FakeServices {
  private child?: ChildProcess;
  readonly logFile: string;
  port = 0;

  constructor(
    readonly address: string,
    readonly distDir: string,
    /** build-tailscale-repo.sh's output: served as https://pkgs.tailscale.com. */
    readonly tailscaleRepo: string,
    workDir: string,
  ) {
    this.logFile = join(workDir, "fake-services.jsonl");
  }

  async start(): Promise<void> {
    writeFileSync(this.logFile, "");
    const repo = this.tailscaleRepo;
    const argv = [this.address, this.distDir, this.logFile, join(repo, "www"), join(repo, "tls/server.crt")];
    const child = spawn(process.execPath, [join(HERE, "fake-services.mjs"), ...argv, join(repo, "tls/server.key")], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    this.child = child;
    onCleanup("fake services", () => this.stop());
    this.port = await new Promise<number>((ok, fail) => {
      let out = "";
      const t = setTimeout(() => fail(new Error("fake-services.mjs did not start within 20s")), 20_000);
      child.stdout!.on("data", (c: Buffer) => {
        out += c.toString();
        const m = /listening (\d+)/.exec(out);
        if (m) {
          clearTimeout(t);
          ok(Number(m[1]));
        }
      });
      child.once("exit", (code) => fail(new Error(`fake-services.mjs exited (${code})`)));
    });
  }

  get url(): string {
    return `http://${this.address}:${this.port}`;
  }

  requests(): FakeRequest[] {
    return readFileSync(this.logFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as FakeRequest);
  }

  stop(): void {
    if (this.child?.pid && this.child.exitCode === null) this.child.kill("SIGTERM");
  }
}
