/**
 * Host tier: the off-server backups' target, a real OpenSSH SFTP server in a
 * network namespace of its own on the test network (sftp-target-up.sh,
 * sftp-target-run.sh, sftp-target-down.sh). It outlives the test host, as a
 * Storage Box outlives a server.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HERE, log, run, script, seconds, sleep, type RunResult } from "./run.js";
import { onCleanup } from "./cleanup.js";
import { tcpProbe, type TestNetwork } from "./test-network.js";

export class SftpTarget {
  readonly root: string;
  readonly ns: string;
  /** Where the test host reaches it. */
  readonly address: string;
  /** The account, named as a Storage Box names one (Debian already has a user `backup`). */
  readonly user = "u424242";
  private child?: ChildProcess;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly workDir: string,
    net: TestNetwork,
    /** A /24 (e.g. "198.18.78") free on this machine. */
    subnet: string,
  ) {
    this.root = join(workDir, "root");
    this.ns = `ocs-${net.tag}`;
    this.address = `${subnet}.2`;
    this.env = {
      ...process.env,
      SFTP_NS: this.ns,
      SFTP_IF: `ochS${net.tag}`.slice(0, 15),
      SFTP_NET: subnet,
      SFTP_USER: this.user,
      PUB_IF: net.pubIf,
      HOST_CHAIN: `OCH-${net.tag}`,
    };
  }

  /** Makes its disk and namespace and starts sshd; resolves once port 22 answers. */
  async start(tarball: string, authorizedKeyFile: string): Promise<void> {
    onCleanup(`SFTP target ${this.ns}`, () => this.stop());
    log(
      script("sftp-target-up.sh", [tarball, this.root, authorizedKeyFile], {
        env: this.env,
        timeoutMs: 5 * 60_000,
      }).stdout.trim(),
    );
    const fd = openSync(join(this.workDir, "sshd.log"), "a");
    this.child = spawn("bash", [join(HERE, "sftp-target-run.sh"), this.root, this.ns, this.ns], {
      stdio: ["ignore", fd, fd],
      detached: true,
    });
    closeSync(fd);
    const started = Date.now();
    while ((await tcpProbe(this.address, 22, 1000)) !== "open") {
      if (this.child.exitCode !== null || Date.now() - started > 30_000)
        throw new Error(`the SFTP target's sshd did not answer within 30 s:\n${this.log()}`);
      await sleep(200);
    }
    log(`SFTP target: sshd on ${this.address}:22 after ${seconds(Date.now() - started)}`);
  }

  /** Its host key as `<type> <base64>`, what `backups.offServer.hostKeys` pins. */
  hostKey(): string {
    return readFileSync(join(this.root, "etc/ssh/ssh_host_ed25519_key.pub"), "utf8").split(" ").slice(0, 2).join(" ");
  }

  /** A repository directory (relative to the account's home) on the target's disk. */
  dir(path: string): string {
    return join(this.root, "home", this.user, path);
  }

  /** restic on this machine, reading a repository straight from the target's disk. */
  restic(path: string, passwordFile: string, args: string[]): RunResult {
    return run("restic", ["--no-cache", "-r", this.dir(path), ...args], {
      env: { ...process.env, RESTIC_PASSWORD_FILE: passwordFile },
      timeoutMs: 5 * 60_000,
    });
  }

  log(): string {
    return readFileSync(join(this.workDir, "sshd.log"), "utf8").split("\n").slice(-30).join("\n");
  }

  stop(): void {
    const pid = this.child?.exitCode === null ? this.child.pid : undefined;
    if (pid) log(script("stop-host.sh", [String(pid), "20"], { timeoutMs: 60_000 }).stdout.trim());
    script("sftp-target-down.sh", [], { env: this.env });
  }
}
