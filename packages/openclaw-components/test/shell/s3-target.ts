/**
 * An S3 server for the off-server backups' S3 transport: s3rver (npm), over
 * HTTPS, alone in a network namespace this test makes, on that namespace's
 * loopback. restic reaches it by running in the same namespace (see
 * `resticRule`); nothing else can.
 *
 * s3rver stands in for S3-compatible object storage; what it does and does
 * not do, from its source (lib/middleware/authentication.js, 3.7.1):
 * - it checks that the access key id is one it knows (its only account is
 *   `S3RVER`), and answers InvalidAccessKeyId otherwise;
 * - it does not check V4 signatures, so it cannot tell a wrong secret key;
 * - it does not decode aws-chunked uploads, which minio-go (restic's S3
 *   client) sends over plain HTTP: over HTTP the stored objects would be
 *   corrupt. Over HTTPS minio-go sends whole bodies, as to real services.
 *   The library only accepts HTTPS endpoints.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Rule } from "./harness.js";

const require = createRequire(import.meta.url);

/** The one access key id s3rver knows. */
export const S3RVER_ACCESS_KEY_ID = "S3RVER";
const PORT = 9443;

function must(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

/** Whether this machine can make the namespace (root, iproute2, openssl); the reason when not. */
export function s3TargetUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return "the S3 target needs root (a network namespace restic can enter)";
  for (const t of ["ip", "openssl", "nsenter"])
    if (spawnSync("bash", ["-c", `command -v ${t}`]).status !== 0) return `the S3 target needs ${t}`;
  return undefined;
}

export class S3Target {
  readonly dir = mkdtempSync(join(tmpdir(), "openclaw-s3-"));
  readonly data = join(this.dir, "data");
  /** Its certificate, self-signed: the CA file restic is given in the test, as a real host trusts public CAs. */
  readonly caFile = join(this.dir, "cert.pem");
  readonly netns = `ocs3-${randomBytes(3).toString("hex")}`;
  readonly endpoint = `https://127.0.0.1:${PORT}`;
  private server?: ChildProcess;

  async start(): Promise<void> {
    mkdirSync(this.data);
    must("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      join(this.dir, "key.pem"),
      "-out",
      this.caFile,
    ]);
    must("ip", ["netns", "add", this.netns]);
    must("ip", ["-n", this.netns, "link", "set", "lo", "up"]);
    const bin = join(dirname(require.resolve("s3rver/package.json")), "bin", "s3rver.js");
    this.server = spawn(
      "ip",
      [
        "netns",
        "exec",
        this.netns,
        process.execPath,
        bin,
        "--directory",
        this.data,
        "--address",
        "127.0.0.1",
        "--port",
        String(PORT),
        "--key",
        join(this.dir, "key.pem"),
        "--cert",
        this.caFile,
        "--silent",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    this.server.stderr!.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    for (let i = 0; i < 100; i++) {
      const probe = spawnSync("ip", ["netns", "exec", this.netns, "bash", "-c", `: </dev/tcp/127.0.0.1/${PORT}`], {
        stdio: "ignore",
      });
      if (probe.status === 0) return;
      if (this.server.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`s3rver did not start: ${stderr}`);
  }

  /**
   * The sandbox rule that runs the real restic inside this namespace, trusting
   * the target's certificate; the library's own arguments and environment
   * (the repository, the credentials file) pass through untouched.
   */
  resticRule(restic: string): Rule {
    return {
      argv: ["restic"],
      run: `SSL_CERT_FILE=${this.caFile} exec nsenter --net=/run/netns/${this.netns} -- ${restic} "$@"`,
    };
  }

  /** Every object the server stores, with its bytes (s3rver keeps each as `<key>._S3rver_object`). */
  objects(): { key: string; bytes: Buffer }[] {
    const out: { key: string; bytes: Buffer }[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d)) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (e.endsWith("._S3rver_object"))
          out.push({ key: p.slice(this.data.length + 1), bytes: readFileSync(p) });
      }
    };
    walk(this.data);
    return out;
  }

  stop(): void {
    if (this.server?.pid && this.server.exitCode === null) this.server.kill("SIGTERM");
    spawnSync("ip", ["netns", "del", this.netns]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
