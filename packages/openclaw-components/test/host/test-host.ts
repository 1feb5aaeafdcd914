/**
 * Host tier: The test host: prepare-host.sh, boot-host.sh (systemd-nspawn),
 * stop-host.sh, root commands through nsenter, an argv recorder.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HERE, REPO, SYSTEM_PATH, killGroup, log, run, script, seconds, sleep, type RunResult } from "./run.js";
import { onCleanup } from "./cleanup.js";
import { TestNetwork } from "./test-network.js";

export interface HostConfig {
  hostname: string;
  instanceId: string;
  userData: string;
  /** The public deploy keys the git remote authorises, one a line. */
  deployPublicKey: string;
  /** A /24 (e.g. "10.231.7") free on this machine, for Docker's default bridge inside the host. */
  dockerBridgeNet: string;
  /** Where the host finds pkgs.tailscale.com, and the CA its certificate comes from (PEM). */
  tailscaleRepo: { address: string; caCert: string };
}

export class TestHost {
  readonly root: string;
  readonly consoleLog: string;
  private nspawn?: ChildProcess;
  private nspawnExit?: Promise<number | null>;
  private recorder?: ChildProcess;
  private recorderFiles: string[] = [];
  private stopRegistered = false;
  bootedAt = 0;

  constructor(
    readonly workDir: string,
    readonly net: TestNetwork,
    readonly machine: string,
  ) {
    this.root = join(workDir, "root");
    this.consoleLog = join(workDir, "console.log");
  }

  /** A fresh disk from the cached root filesystem, with the seed and the stand-ins. */
  prepare(tarball: string, cfg: HostConfig): void {
    const dir = join(this.workDir, "seed");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "user-data"), cfg.userData, { mode: 0o600 });
    writeFileSync(join(dir, "meta-data"), `instance-id: ${cfg.instanceId}\nlocal-hostname: ${cfg.hostname}\n`);
    writeFileSync(join(dir, "hostname"), `${cfg.hostname}\n`);
    writeFileSync(join(dir, "deploy-key.pub"), cfg.deployPublicKey);
    // One /24 for the default bridge, and user-defined networks carved from the same one.
    const daemon = {
      bip: `${cfg.dockerBridgeNet}.1/25`,
      "default-address-pools": [{ base: `${cfg.dockerBridgeNet}.128/25`, size: 28 }],
    };
    writeFileSync(join(dir, "docker-daemon.json"), `${JSON.stringify(daemon, null, 2)}\n`);
    writeFileSync(join(dir, "pkgs-address"), `${cfg.tailscaleRepo.address}\n`);
    writeFileSync(join(dir, "tailscale-repo-ca.crt"), cfg.tailscaleRepo.caCert);
    log(script("prepare-host.sh", [tarball, this.root, dir], { timeoutMs: 5 * 60_000 }).stdout.trim());
    // The seed held the Tailscale key: nothing of it stays outside the host.
    rmSync(join(dir, "user-data"));
  }

  /** Boots the host (systemd-nspawn in the background, console to console.log). */
  boot(): void {
    const fd = openSync(this.consoleLog, "a");
    const child = spawn("bash", [join(HERE, "boot-host.sh"), this.root, this.net.ns, this.machine], {
      stdio: ["ignore", fd, fd],
      detached: true,
    });
    closeSync(fd);
    this.nspawn = child;
    this.bootedAt = Date.now();
    this.nspawnExit = new Promise((ok) => child.once("exit", (code) => ok(code)));
    if (!this.stopRegistered) onCleanup(`host ${this.machine}`, () => this.stop());
    this.stopRegistered = true;
  }

  get nspawnPid(): number | undefined {
    return this.nspawn?.exitCode === null ? this.nspawn.pid : undefined;
  }

  /** PID (on this machine) of the host's systemd, once it runs. */
  initPid(): number | undefined {
    const pid = this.nspawnPid;
    if (!pid) return undefined;
    try {
      const child = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/)[0];
      return child ? Number(child) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Runs a command as root inside the host (nsenter into its namespaces). */
  exec(args: string[], opts: { input?: string; timeoutMs?: number } = {}): RunResult {
    const init = this.initPid();
    if (!init) throw new Error("the test host is not running");
    return run(
      "nsenter",
      [
        "-t",
        String(init),
        "-m",
        "-u",
        "-i",
        "-n",
        "-p",
        "--",
        "env",
        "-i",
        `PATH=${SYSTEM_PATH}`,
        "LANG=C.UTF-8",
        "HOME=/root",
        ...args,
      ],
      { input: opts.input, timeoutMs: opts.timeoutMs ?? 60_000 },
    );
  }

  /** `exec(["bash", "-c", script])`, throwing on failure. */
  sh(command: string, opts: { input?: string; timeoutMs?: number } = {}): string {
    const r = this.exec(["bash", "-c", command], opts);
    if (r.status !== 0)
      throw new Error(`in the host: ${command}\nexit ${r.status}: ${`${r.stdout}\n${r.stderr}`.trim().slice(-3000)}`);
    return r.stdout;
  }

  /**
   * Waits until the host's systemd runs (its init PID is known), then makes
   * the host's cgroup controllers writable as a VM's are (writable-cgroups.sh),
   * so that Docker can run containers inside it.
   */
  async waitForInit(timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pid = this.initPid();
      if (pid && this.exec(["findmnt", "-rn", "-t", "cgroup"]).stdout.trim() !== "") {
        const r = this.exec(["bash", "-s"], { input: readFileSync(join(HERE, "writable-cgroups.sh"), "utf8") });
        if (r.status !== 0) throw new Error(`writable-cgroups.sh in the host failed: ${r.stderr}`);
        log(r.stdout.trim());
        return pid;
      }
      if (Date.now() > deadline)
        throw new Error(`the host did not start within ${seconds(timeoutMs)}; console:\n${this.consoleTail()}`);
      await sleep(200);
    }
  }

  /**
   * What a person needs when an on-host step failed: every system unit and
   * every unit of `user`'s manager that failed or is waiting to be restarted
   * after a failure (a unit with Restart= is not "failed" until its start
   * limit is hit), each with its status and the tail of its journal, read
   * from inside the host. Empty when none failed.
   */
  failedUnits(user: string, lines = 25): string {
    if (!this.initPid()) return "";
    const uid = this.exec(["id", "-u", user]).stdout.trim();
    // The user manager answers on its own bus, reached as the user.
    const userBus = ["runuser", "-u", user, "--", "env", `XDG_RUNTIME_DIR=/run/user/${uid}`, "systemctl", "--user"];
    const parts: string[] = [];
    for (const [scope, systemctl] of [
      ["system", ["systemctl"]],
      [`user ${user}`, userBus],
    ] as const) {
      if (scope !== "system" && !uid) continue;
      const units = this.exec([
        ...systemctl,
        "list-units",
        "--state=failed,auto-restart",
        "--plain",
        "--no-legend",
        "--no-pager",
      ])
        .stdout.split("\n")
        .map((l) => l.trim().split(/\s+/)[0]!)
        .filter(Boolean);
      for (const unit of units) {
        const status = this.exec([...systemctl, "status", "--no-pager", "--lines=0", unit]).stdout.trim();
        // A user unit's lines: its processes' output, and its manager's words about it.
        const matches = scope === "system" ? ["-u", unit] : [`_SYSTEMD_USER_UNIT=${unit}`, "+", `USER_UNIT=${unit}`];
        const journal = this.exec(["journalctl", "--no-pager", "-n", String(lines), ...matches]).stdout.trim();
        parts.push(`--- ${scope} unit ${unit} failed\n${status}\n--- its journal (tail)\n${journal}`);
      }
    }
    return parts.join("\n");
  }

  consoleTail(lines = 40): string {
    return existsSync(this.consoleLog)
      ? readFileSync(this.consoleLog, "utf8").split("\n").slice(-lines).join("\n")
      : "";
  }

  /**
   * Starts recording every command line seen inside the host: argv-recorder.py
   * (every 0.1 s) inside it, each new line written once. `recordedArgv()`
   * returns them.
   */
  startRecording(): void {
    const init = this.initPid();
    if (!init) throw new Error("the test host is not running");
    const file = join(this.workDir, `argv-${this.recorderFiles.length}.txt`);
    this.recorderFiles.push(file);
    const fd = openSync(file, "w");
    // The host's own python3 (cloud-init's), the program on stdin.
    this.recorder = spawn("nsenter", ["-t", String(init), "-m", "-p", "--", "python3", "-u", "-"], {
      stdio: ["pipe", fd, "ignore"],
      detached: true,
    });
    this.recorder.stdin!.end(readFileSync(join(HERE, "argv-recorder.py")));
    closeSync(fd);
    if (this.recorderFiles.length === 1) onCleanup("argv recorder", () => this.stopRecording());
  }

  stopRecording(): void {
    if (this.recorder) killGroup(this.recorder);
    this.recorder = undefined;
  }

  /** Every distinct command line recorded so far, over all boots. */
  recordedArgv(): string[] {
    return [
      ...new Set(
        this.recorderFiles.flatMap((f) => (existsSync(f) ? readFileSync(f, "utf8").split("\n").filter(Boolean) : [])),
      ),
    ];
  }

  /**
   * Loads the stand-in for Docker Hub's debian:bookworm-slim (the Docker
   * tier's cached debootstrap, build-base-image.sh) into the host's own Docker
   * engine as `tag`: the host has no image registry to pull from.
   */
  importBaseImage(tag: string): RunResult {
    const init = this.initPid();
    if (!init) throw new Error("the test host is not running");
    const tmp = mkdtempSync(join(this.workDir, "base-image-"));
    try {
      return run(
        "bash",
        [join(HERE, "..", "docker", "build-base-image.sh"), join(REPO, ".cache", "docker"), tmp, tag],
        {
          env: { ...process.env, DOCKER: join(HERE, "in-host-docker.sh"), HOST_INIT_PID: String(init) },
          timeoutMs: 10 * 60_000,
        },
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  /** Reboots from inside (systemctl reboot), as a host's own reboot does; resolves when systemd-nspawn has exited. */
  async rebootInside(timeoutMs = 120_000): Promise<number | null> {
    this.stopRecording();
    this.exec(["systemctl", "reboot"]);
    return this.waitForExit(timeoutMs);
  }

  async waitForExit(timeoutMs: number): Promise<number | null> {
    if (!this.nspawnExit) return null;
    const timeout = sleep(timeoutMs).then(() => "timeout" as const);
    const r = await Promise.race([this.nspawnExit, timeout]);
    if (r === "timeout") throw new Error(`the host did not go down within ${seconds(timeoutMs)}`);
    return r;
  }

  stop(): void {
    this.stopRecording();
    const pid = this.nspawnPid;
    if (pid) log(script("stop-host.sh", [String(pid), "90"], { timeoutMs: 150_000 }).stdout.trim());
  }
}
