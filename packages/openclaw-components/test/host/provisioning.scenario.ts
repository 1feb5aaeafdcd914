import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { DEFAULT_CLAUDE_CODE_VERSION, DEFAULT_NODE_RUNTIME, DEFAULT_OPENCLAW_VERSION } from "../../src/versions.js";
import { renderDeployment } from "../../src/render.js";
import { SENTINELS } from "../fixtures.js";
import { HERE, log, sleep, ssh, tcpProbe } from "./harness.js";
import {
  ADMIN,
  AGENT_GIT_REMOTE,
  agentDeployKey,
  args,
  NPM_INSTALL,
  PORT,
  PREVIOUS_OPENCLAW_VERSION,
  SERVER_NAME,
  asAdmin,
  cronJobs,
  describeResult,
  expectOk,
  figures,
  gatewayUnit,
  host,
  jsonOf,
  markProvisioned,
  net,
  rendered,
  requireProvisioned,
  runEveryStep,
  sandboxImage,
  secrets,
  secretsIn,
  services,
  step,
  stepOf,
  target,
} from "./fixture.js";

/** Boot and first provisioning: cloud-init, the tailnet, every step in order (one killed half-way). */
export function provisioning(): void {
  it(
    "boots: cloud-init runs the user-data, the host joins the (fake) tailnet, SSH answers on tailscale0 only",
    async () => {
      // The provider dials until the host answers: so does the test.
      const deadline = Date.now() + 5 * 60_000;
      for (;;) {
        const r = await ssh(target, "true", { timeoutMs: 20_000 });
        if (r.status === 0) break;
        if (Date.now() > deadline)
          throw new Error(`no SSH to ${net.tsAddr} within 5 min: ${r.stderr}\n${host.consoleTail()}`);
        await sleep(500);
      }
      figures.bootToSsh = Date.now() - host.bootedAt;
      const status = host.sh(
        "cloud-init status --wait >/dev/null; cloud-init status --long; echo; cloud-init query instance_id",
        { timeoutMs: 5 * 60_000 },
      );
      figures.bootToCloudInitDone = Date.now() - host.bootedAt;
      expect(status).toMatch(/status: done/);
      expect(status).not.toMatch(/errors: \[.+\]/);

      // Tailscale came from its signed apt repository, as on a real server: the
      // key, the source, the signed index and the package, over HTTPS.
      expect(host.sh("grep -F '[openclaw-bootstrap]' /var/log/cloud-init-output.log")).toContain(
        "installing Tailscale from its signed apt repository",
      );
      expect(host.sh("dpkg-query -W -f '${Status} ${Version}' tailscale")).toBe("install ok installed 1.0.0+hosttier");
      expect(host.sh("cat /etc/apt/sources.list.d/tailscale.list").trim()).toBe(
        "deb [signed-by=/usr/share/keyrings/tailscale-archive-keyring.gpg] https://pkgs.tailscale.com/stable/debian bookworm main",
      );
      const fetched = services
        .requests()
        .filter((r) => r.kind === "apt")
        .map((r) => `${r.path} ${r.status}`);
      log(`pkgs.tailscale.com served: ${fetched.join(", ")}`);
      expect(fetched).toEqual(
        expect.arrayContaining([
          "/stable/debian/bookworm.noarmor.gpg 200",
          "/stable/debian/bookworm.tailscale-keyring.list 200",
          "/stable/debian/dists/bookworm/InRelease 200",
          "/stable/debian/dists/bookworm/main/binary-amd64/Packages 200",
          "/stable/debian/pool/tailscale_1.0.0+hosttier_amd64.deb 200",
        ]),
      );

      // tailscale up read the key from the file, never from its argv, and the file is gone.
      const calls = host.sh("cat /var/log/fake-tailscale/calls.log");
      expect(calls).toContain(
        `uid=0 up --auth-key=file:/run/openclaw-bootstrap/tailscale-authkey --hostname=${SERVER_NAME} --operator=${ADMIN}`,
      );
      expect(secretsIn(calls)).toEqual([]);
      expect(host.exec(["test", "-e", "/run/openclaw-bootstrap/tailscale-authkey"]).status).not.toBe(0);
      const state = JSON.parse(host.sh("cat /var/lib/fake-tailscale/state.json")) as { AuthKeySha256: string };
      expect(state.AuthKeySha256).toBe(createHash("sha256").update(SENTINELS.tailscaleAuthKey).digest("hex"));
      expect(await asAdmin("tailscale status --json")).toMatch(/"BackendState": "Running"/);

      // The public side is closed from the first boot on.
      expect(await tcpProbe(net.pubAddr, 22)).toBe("timeout");
      expect(await tcpProbe(net.tsAddr, 22)).toBe("open");

      // As on a fresh server: forwarding off until Docker turns it on, and root
      // may turn it on (whatever this machine's own setting is).
      expect(host.sh("cat /proc/sys/net/ipv4/ip_forward").trim()).toBe("0");
      expect(host.sh("findmnt -rn -o OPTIONS /proc/sys/net")).toMatch(/^rw,/);
    },
    10 * 60_000,
  );

  it("a failed unit is reported with its status and journal tail from inside the host (what a failed step prints)", async () => {
    expect(host.failedUnits(ADMIN)).toBe("");
    host.sh(
      "systemd-run --quiet --unit=host-tier-probe --property=Restart=on-failure --property=RestartSec=1h sh -c 'echo probe-said-this; exit 3'",
    );
    const runAs = `runuser -u ${ADMIN} -- env XDG_RUNTIME_DIR=/run/user/$(id -u ${ADMIN})`;
    host.sh(
      `${runAs} systemd-run --user --quiet --unit=host-tier-user-probe sh -c 'echo user-probe-said-this; exit 4'`,
    );
    try {
      const deadline = Date.now() + 20_000;
      let report = "";
      while (!/user-probe-said-this/.test(report) && Date.now() < deadline) {
        await sleep(300);
        report = host.failedUnits(ADMIN);
      }
      expect(report).toMatch(
        /--- system unit host-tier-probe\.service failed\n[^]*auto-restart[^]*\n--- its journal \(tail\)\n[^]*probe-said-this/,
      );
      expect(report).toMatch(
        /--- user ubuntu unit host-tier-user-probe\.service failed\n[^]*status=4[^]*user-probe-said-this/,
      );
    } finally {
      host.sh(
        `systemctl stop host-tier-probe.service; systemctl reset-failed host-tier-probe.service 2>/dev/null; ${runAs} systemctl --user reset-failed host-tier-user-probe.service 2>/dev/null; true`,
      );
    }
    expect(host.failedUnits(ADMIN)).toBe("");
  });

  it(
    "provisions: every remote step in order over SSH; install-openclaw killed half-way re-runs and converges",
    async () => {
      // OpenSSH's client drops a variable sshd does not accept where the
      // provider fails the command: every name must be one AcceptEnv OPENCLAW_* lets in.
      const names = rendered.steps.flatMap((s) => Object.keys(s.environment));
      expect(names.filter((n) => !/^OPENCLAW_/.test(n))).toEqual([]);
      await runEveryStep(figures.steps, {
        before: async (s) => {
          if (s.name !== "install-openclaw" || figures.killedInstall) return;
          // A run killed while npm installs OpenClaw (a crash, an OOM kill, a
          // lost session) must leave nothing a re-run trips over.
          const running = step(s);
          let settled = false;
          void running.then(() => (settled = true));
          const deadline = Date.now() + 10 * 60_000;
          let seenAt = 0;
          while (!seenAt) {
            if (settled)
              throw new Error(
                `install-openclaw ended before npm install was seen: ${describeResult(s, await running)}`,
              );
            if (Date.now() > deadline) throw new Error("npm install did not start within 10 min");
            if (host.exec(["ps", "-eww", "-o", "args="]).stdout.includes(NPM_INSTALL)) seenAt = Date.now();
            else await sleep(300);
          }
          // Half-way: as soon as npm writes into the partial prefix (or 20 s in).
          const partial = `/opt/openclaw/openclaw-${PREVIOUS_OPENCLAW_VERSION}.partial/lib/node_modules`;
          while (Date.now() - seenAt < 20_000 && host.exec(["test", "-d", partial]).status !== 0) await sleep(200);
          if (settled)
            throw new Error(`install-openclaw ended before it could be killed: ${describeResult(s, await running)}`);
          const killed = host.exec(["bash", "-s", "--", NPM_INSTALL], {
            input: readFileSync(join(HERE, "kill-step.sh"), "utf8"),
          });
          expect(killed.status, killed.stderr).toBe(0);
          const r = await running;
          figures.killedInstall = {
            afterMs: Date.now() - seenAt,
            killed: `${killed.stdout.trim()}; step exit ${r.status}`,
          };
          figures.steps.push({ name: `${s.name} (killed)`, ms: r.ms, result: `exit ${r.status}` });
          expect(r.status).not.toBe(0);
          const left = host.sh(
            `ls -d /opt/openclaw/openclaw-* 2>/dev/null || true; pgrep -af "[n]pm install --global" || true`,
          );
          log(`after the kill: ${left.trim().replace(/\n/g, "; ") || "nothing under /opt/openclaw"}`);
          expect(left).not.toMatch(new RegExp(`openclaw-${PREVIOUS_OPENCLAW_VERSION.replaceAll(".", "\\.")}$`, "m"));
          expect(left).not.toContain(NPM_INSTALL);
        },
        after: async (s) => {
          if (s.name !== "install-openclaw") return;
          // The re-run converges: a second run has nothing to do.
          const again = await step(s);
          expectOk(s, again, "unchanged");
        },
      });
      markProvisioned();
    },
    40 * 60_000,
  );
}

/** What the provisioned host runs: the gateway, the schedules, the workspace sync, the sandbox image. */
export function provisionedServices(): void {
  it(
    "runs the gateway as a systemd user service with linger; /readyz answers on loopback; the audit is clean",
    async () => {
      requireProvisioned();
      const unit = await gatewayUnit();
      expect(unit).toMatchObject({ ActiveState: "active", SubState: "running", UnitFileState: "enabled" });
      expect(host.sh(`ps -o user= -p ${unit.MainPID}`).trim()).toBe(ADMIN);
      expect(host.sh(`loginctl show-user ${ADMIN} --property=Linger --value`).trim()).toBe("yes");
      expect(host.sh(`curl -fsS --max-time 5 http://127.0.0.1:${PORT}/readyz`)).toBeTruthy();
      const audit = jsonOf(await asAdmin("openclaw security audit --json")) as {
        summary: { critical: number; warn: number; info: number };
        findings?: Array<{ checkId: string; severity: string }>;
      };
      log(
        `security audit: ${JSON.stringify(audit.summary)} ${JSON.stringify((audit.findings ?? []).map((f) => `${f.severity}:${f.checkId}`))}`,
      );
      expect(audit.summary).toMatchObject({ critical: 0, warn: 0 });
      expect(await asAdmin("openclaw --version")).toContain(DEFAULT_OPENCLAW_VERSION);
      // Tailscale Serve was asked for by the gateway itself (fake: recorded).
      expect(host.sh("cat /var/log/fake-tailscale/calls.log")).toMatch(/^uid=1000 serve --yes --bg=false \d+$/m);
    },
    5 * 60_000,
  );

  it(
    "has the declared schedules, delivering to Telegram (the fake Bot API the gateway polls)",
    async () => {
      requireProvisioned();
      const jobs = await cronJobs();
      for (const j of rendered.schedules) {
        const job = jobs.find((x) => x.declarationKey === j.key);
        expect(job, j.key).toBeDefined();
        expect(job).toMatchObject({ name: j.name, schedule: { expr: j.cron, tz: j.tz } });
        expect(String(job!.delivery?.to)).toBe(j.to);
        expect(job!.delivery?.channel).toBe("telegram");
      }
      const bot = services
        .requests()
        .filter((r) => r.kind === "bot")
        .map((r) => r.method);
      log(`Bot API calls: ${[...new Set(bot)].join(", ")}`);
      expect(bot).toContain("getUpdates");
    },
    5 * 60_000,
  );

  it(
    "syncs the workspace: the timer is active and the first sync pushed to the git remote over SSH",
    async () => {
      requireProvisioned();
      expect((await asAdmin("systemctl --user is-active openclaw-workspace-sync.timer")).trim()).toBe("active");
      expect((await asAdmin("systemctl --user is-enabled openclaw-workspace-sync.timer")).trim()).toBe("enabled");
      const remote = host.sh("runuser -u git -- git --git-dir=/srv/git/workspace.git log --format=%s main");
      expect(remote).toMatch(/^Auto-sync: /m);
      // The remote's main is the workspace's HEAD.
      const remoteHead = host.sh("runuser -u git -- git --git-dir=/srv/git/workspace.git rev-parse main").trim();
      expect((await asAdmin("git --git-dir ~/.openclaw/.infra/git/workspace.git rev-parse HEAD")).trim()).toBe(
        remoteHead,
      );
      // The repository is outside the workspace, which the sandbox can write (OpenClaw's own
      // `.git` in a brand-new workspace was moved out by setup-workspace).
      expect((await asAdmin("test -e ~/.openclaw/workspace/.git && echo inside || echo outside")).trim()).toBe(
        "outside",
      );
    },
    5 * 60_000,
  );

  it(
    "an agent's workspace syncs to a repository of its own with its own key, on its own timer; dropped again, its timer, key and alias go and its workspace stays",
    async () => {
      requireProvisioned();
      // The deployment with an extra agent whose workspace has a repository of its own.
      const withAgent = renderDeployment(
        { ...args, agents: [{ id: "research", workspaceSync: { repoUrl: AGENT_GIT_REMOTE } }] },
        { ...secrets, agentDeployPrivateKeys: { research: agentDeployKey } },
      );
      for (const name of ["setup-workspace", "install-sync-timer"]) {
        const s = stepOf(withAgent, name);
        expectOk(s, await step(s));
      }
      const timer = "openclaw-agent-workspace-sync-research.timer";
      expect((await asAdmin(`systemctl --user is-active ${timer}; systemctl --user is-enabled ${timer}`)).trim()).toBe(
        "active\nenabled",
      );
      const research = (cmd: string) => host.sh(`runuser -u git -- git --git-dir=/srv/git/research.git ${cmd}`);
      // The first sync pushed the agent's workspace with the agent's own key (the alias offers no other).
      expect((await asAdmin("git --git-dir ~/.openclaw/.infra/git/agent-research.git rev-parse HEAD")).trim()).toBe(
        research("rev-parse main").trim(),
      );
      // A note the agent writes goes out on its own service, to its own repository only.
      await asAdmin(
        "echo 'the research agent notes' > ~/.openclaw/workspace-research/notes.md && " +
          "systemctl --user start openclaw-agent-workspace-sync-research.service",
        180_000,
      );
      expect(research("show main:notes.md").trim()).toBe("the research agent notes");
      expect(host.sh("runuser -u git -- git --git-dir=/srv/git/workspace.git ls-tree -r --name-only main")).not.toMatch(
        /notes\.md/,
      );
      expect(host.sh(`stat -c '%a %U' /home/${ADMIN}/.ssh/openclaw_agent_workspace_research_ed25519`).trim()).toBe(
        `600 ${ADMIN}`,
      );

      // The deployment's own steps again (the agent dropped): nothing of its sync is left but its workspace.
      for (const name of ["setup-workspace", "install-sync-timer"]) {
        const s = stepOf(rendered, name);
        expectOk(s, await step(s), "changed");
      }
      expect(
        (
          await asAdmin(
            "ls -1 ~/.config/systemd/user ~/.ssh ~/.ssh/config.d | grep -E 'agent.workspace' || true; " +
              `systemctl --user is-active ${timer} || true`,
          )
        ).trim(),
      ).toBe("inactive");
      expect((await asAdmin("cat ~/.openclaw/workspace-research/notes.md")).trim()).toBe("the research agent notes");
      expect((await asAdmin("systemctl --user is-active openclaw-workspace-sync.timer")).trim()).toBe("active");
    },
    10 * 60_000,
  );

  it(
    "builds the sandbox image in the host's Docker: it runs as a non-root user with the host's Node, Claude Code and git, on the configured network",
    async () => {
      requireProvisioned();
      const image = sandboxImage();
      // As the admin user (docker group), the way the gateway starts sandboxes.
      const out = await asAdmin(
        `docker run --rm --network bridge ${image} sh -c 'id -u; node --version; claude --version; git config --get user.name'`,
        300_000,
      );
      const [uid, node, claude, gitName] = out.trim().split("\n");
      expect(Number(uid)).not.toBe(0);
      // The host's dockerd turned forwarding on in the host's own namespace.
      expect(host.sh("cat /proc/sys/net/ipv4/ip_forward").trim()).toBe("1");
      expect(node).toBe(`v${DEFAULT_NODE_RUNTIME.version}`);
      expect(claude).toContain(DEFAULT_CLAUDE_CODE_VERSION);
      expect(gitName).toBeTruthy();
      // The gateway's config points at it, with the network the sandbox declares.
      const sandbox = JSON.parse(host.sh(`jq -c .agents.defaults.sandbox /home/${ADMIN}/.openclaw/openclaw.json`)) as {
        docker?: { image?: string; network?: string };
      };
      expect(sandbox.docker).toMatchObject({ image, network: "bridge" });
      // The gateway runs with the docker group: the user manager keeps the groups it started with.
      const gid = host.sh("getent group docker | cut -d: -f3").trim();
      const pid = (await gatewayUnit()).MainPID!;
      expect(host.sh(`sed -n 's/^Groups:\\s*//p' /proc/${pid}/status`).trim().split(/\s+/)).toContain(gid);
      const images = (await asAdmin("docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}'")).trim();
      log(`sandbox images: ${images.replace(/\n/g, "; ")}`);
    },
    10 * 60_000,
  );
}
