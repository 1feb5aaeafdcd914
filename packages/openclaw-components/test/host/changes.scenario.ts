import { expect, it } from "vitest";
import { type PlainDeploymentArgs } from "../../src/render.js";
import { parseVerifyReport } from "../../src/verify/verify-step.js";
import { lastLine, log, script, sleep, tcpProbe } from "./harness.js";
import {
  ADMIN,
  PORT,
  QUIET_HOUR,
  QUIET_SCHEDULES,
  SERVER_NAME,
  type StepFigure,
  activeUserTimers,
  applyChange,
  args,
  asAdmin,
  cronJobs,
  describeResult,
  diffKeys,
  expectOk,
  figures,
  gatewayUnit,
  host,
  net,
  rendered,
  requireProvisioned,
  sandboxImage,
  snapshot,
  step,
  stepOf,
} from "./fixture.js";

/**
 * Change in place: re-runs change nothing, a reboot runs no step, a change re-runs only its steps, verify names what
 * is broken.
 */
export function changes(): void {
  it(
    "converges: re-running every step changes nothing and leaves the gateway running as it was",
    async () => {
      requireProvisioned();
      const before = await gatewayUnit();
      const started = Date.now();
      const steps: StepFigure[] = [];
      for (const s of rendered.steps) {
        const r = await step(s);
        steps.push({ name: s.name, ms: r.ms, result: lastLine(r.stdout) });
        expectOk(s, r, "unchanged");
      }
      figures.noop = { total: Date.now() - started, steps };
      const after = await gatewayUnit();
      expect(after.ActiveEnterTimestamp).toBe(before.ActiveEnterTimestamp);
      expect(after.MainPID).toBe(before.MainPID);
    },
    20 * 60_000,
  );

  it(
    "comes back after a reboot: gateway, timers and firewall, without any step re-run",
    async () => {
      requireProvisioned();
      const upCalls = (host.sh("cat /var/log/fake-tailscale/calls.log").match(/ up /g) ?? []).length;
      const timersBefore = await activeUserTimers();
      expect(timersBefore).toContain("openclaw-workspace-sync.timer");
      const code = await host.rebootInside();
      expect(code).toBe(133);
      // A real reboot starts with an empty packet filter: so does this one.
      log(script("reset-netns-firewall.sh", [net.ns]).stdout.trim());
      expect(await tcpProbe(net.pubAddr, 22, 2000)).not.toBe("open"); // nothing runs there now
      host.boot();
      await host.waitForInit();
      host.startRecording();
      const deadline = Date.now() + 5 * 60_000;
      while (
        host.exec(["curl", "-fsS", "-o", "/dev/null", "--max-time", "3", `http://127.0.0.1:${PORT}/readyz`]).status !==
        0
      ) {
        if (Date.now() > deadline)
          throw new Error(`the gateway did not come back within 5 min of the reboot:\n${host.consoleTail()}`);
        await sleep(1000);
      }
      figures.rebootToHealthy = Date.now() - host.bootedAt;
      const unit = await gatewayUnit();
      expect(unit).toMatchObject({ ActiveState: "active", SubState: "running" });
      expect(await activeUserTimers()).toEqual(timersBefore);
      expect(host.sh("ufw status")).toMatch(/^Status: active/m);
      // Docker, and the metadata block re-asserted after Docker made its chains.
      expect(host.sh("systemctl is-active docker.service openclaw-metadata-block.service").trim().split("\n")).toEqual([
        "active",
        "active",
      ]);
      expect(
        host.exec([
          "iptables",
          "-w",
          "-C",
          "DOCKER-USER",
          "-d",
          "169.254.169.254/32",
          "-j",
          "REJECT",
          "--reject-with",
          "icmp-port-unreachable",
        ]).status,
      ).toBe(0);
      expect(await tcpProbe(net.pubAddr, 22)).toBe("timeout");
      expect(await tcpProbe(net.tsAddr, 22)).toBe("open");
      expect(await asAdmin("tailscale status --json")).toMatch(/"BackendState": "Running"/);
      // First-boot user-data did not run again (same instance): no second `tailscale up`.
      expect((host.sh("cat /var/log/fake-tailscale/calls.log").match(/ up /g) ?? []).length).toBe(upCalls);
      expect((await cronJobs()).filter((j) => j.declarationKey?.startsWith("openclaw-infra:")).length).toBe(
        rendered.schedules.length,
      );
    },
    15 * 60_000,
  );

  it(
    "a changed schedule re-runs only the schedule sync (and the checks), which updates the job in place",
    async () => {
      requireProvisioned();
      const jobsBefore = await cronJobs();
      const snapBefore = await snapshot();
      const changedName = QUIET_SCHEDULES[1]!.name;
      const changedCron = `45 ${QUIET_HOUR} * * *`;
      const next: PlainDeploymentArgs = {
        ...args,
        telegram: {
          ...args.telegram!,
          schedules: QUIET_SCHEDULES.map((s) => (s.name === changedName ? { ...s, cron: changedCron } : s)),
        },
      };
      const reran = await applyChange("one schedule's cron", next);
      expect(reran.filter((n) => n !== "verify")).toEqual(["sync-schedules"]);
      const jobsAfter = await cronJobs();
      const key = rendered.schedules.find((j) => j.name === changedName)!.key;
      const was = jobsBefore.find((j) => j.declarationKey === key)!;
      const is = jobsAfter.find((j) => j.declarationKey === key)!;
      expect(is.schedule.expr).toBe(changedCron);
      expect(is.id).toBe(was.id);
      expect(jobsAfter.length).toBe(jobsBefore.length);
      expect(diffKeys(snapBefore, await snapshot())).toEqual([]);
    },
    10 * 60_000,
  );

  it(
    "a changed model re-runs only the gateway config step; the rest of the host is untouched",
    async () => {
      requireProvisioned();
      const snapBefore = await snapshot();
      const reran = await applyChange("model", { ...args, model: "anthropic/claude-sonnet-4-6" });
      expect(reran.filter((n) => n !== "verify")).toEqual(["configure-gateway"]);
      expect(host.sh(`jq -r .agents.defaults.model.primary /home/${ADMIN}/.openclaw/openclaw.json`).trim()).toBe(
        "anthropic/claude-sonnet-4-6",
      );
      // The config changed, so the gateway restarted; nothing else moved.
      expect(diffKeys(snapBefore, await snapshot())).toEqual(
        [
          "gateway.ActiveEnterTimestamp",
          "gateway.MainPID",
          "home/ubuntu/.openclaw/.infra/config-gateway.sha256",
          "home/ubuntu/.openclaw/openclaw.json",
        ].sort(),
      );
      expect((await gatewayUnit()).ActiveState).toBe("active");
      expect(host.sh(`curl -fsS --max-time 5 http://127.0.0.1:${PORT}/readyz`)).toBeTruthy();
    },
    10 * 60_000,
  );

  it(
    "verify: passes on the healthy host, and names each check that fails when its condition is broken on purpose",
    async () => {
      requireProvisioned();
      const verify = stepOf(rendered, "verify");
      const run = async () => {
        const r = await step(verify);
        return { r, report: parseVerifyReport(r.stdout) };
      };
      const healthy = await run();
      expect(healthy.r.status, describeResult(verify, healthy.r)).toBe(0);
      expect(healthy.report?.ok).toBe(true);
      const names = healthy.report!.checks.map((c) => c.name);
      log(`verify checks: ${names.join(", ")}`);
      const restartGateway = async () => {
        await asAdmin("systemctl --user start openclaw-gateway.service");
        await asAdmin(
          `for i in $(seq 1 90); do curl -fs -o /dev/null http://127.0.0.1:${PORT}/readyz && exit 0; sleep 2; done; exit 1`,
          240_000,
        );
      };
      // Faults broken together share one verify run (each run is OpenClaw's
      // slow questions again); they are independent of each other, and each
      // must fail its own check, with its own detail where the check has one.
      // The one that stops the gateway and the one that ends the user manager
      // go alone, as do two faults of the same check.
      type Fault = {
        check: string;
        /** Checks the same fault fails too. */
        also?: string[];
        /** What the failing check's detail must say: this fault, not another. */
        detail?: RegExp;
        breakIt: () => Promise<void>;
        repair: () => Promise<void>;
      };
      const rounds: Fault[][] = [
        [
          {
            check: "service active",
            // Its Serve route, its health and its channel go with the gateway.
            also: ["readyz", "tailscale serve", "openclaw health", "telegram channel"],
            breakIt: async () => void (await asAdmin("systemctl --user stop openclaw-gateway.service")),
            repair: restartGateway,
          },
        ],
        [
          {
            check: "linger",
            detail: /^Linger=no$/,
            breakIt: async () => void host.sh(`loginctl disable-linger ${ADMIN}`),
            repair: async () => {
              host.sh(`loginctl enable-linger ${ADMIN}`);
              await restartGateway();
            },
          },
          {
            // A config backup holds the gateway token too: chmod fails (and the test with it) if it is not
            // there. Not the state database: OpenClaw 2026.9.6 puts it back to 0600 whenever it opens it
            // (ensureOpenClawStatePermissions), so the gateway can repair that fault before verify looks. The
            // shell tier covers the database's name in the check.
            check: "config permissions",
            detail: /readable by others: openclaw\.json\.bak 640/,
            breakIt: async () => void host.sh(`chmod 0640 /home/${ADMIN}/.openclaw/openclaw.json.bak`),
            repair: async () => void host.sh(`chmod 0600 /home/${ADMIN}/.openclaw/openclaw.json.bak`),
          },
        ],
        [
          {
            // What a stale node holding the name does to this one: "<name>-1".
            check: "tailnet name",
            also: ["tailscale serve"],
            detail: new RegExp(`^${SERVER_NAME}-1\\b`),
            breakIt: async () => void host.sh(`tailscale set --hostname=${SERVER_NAME}-1`),
            repair: async () => void host.sh(`tailscale set --hostname=${SERVER_NAME}`),
          },
          {
            check: "firewall",
            breakIt: async () => void host.sh("ufw allow 8080/tcp"),
            repair: async () => void host.sh("ufw delete allow 8080/tcp"),
          },
          {
            check: "no public listener",
            detail: /0\.0\.0\.0:9999/,
            breakIt: async () =>
              void host.sh(
                "setsid python3 -m http.server 9999 --bind 0.0.0.0 >/dev/null 2>&1 < /dev/null & echo $! > /run/tier-listener.pid; sleep 1",
              ),
            repair: async () => void host.sh('kill "$(cat /run/tier-listener.pid)"; rm -f /run/tier-listener.pid'),
          },
          {
            check: "config permissions",
            detail: /openclaw\.json 644/,
            breakIt: async () => void host.sh(`chmod 0644 /home/${ADMIN}/.openclaw/openclaw.json`),
            repair: async () => void host.sh(`chmod 0600 /home/${ADMIN}/.openclaw/openclaw.json`),
          },
          {
            check: "sandbox image",
            breakIt: async () =>
              void (await asAdmin(
                `docker image tag ${sandboxImage()} tier-parked:1 && docker image rm ${sandboxImage()} >/dev/null`,
              )),
            repair: async () =>
              void (await asAdmin(
                `docker image tag tier-parked:1 ${sandboxImage()} && docker image rm tier-parked:1 >/dev/null`,
              )),
          },
          {
            check: "metadata blocked",
            breakIt: async () =>
              void host.sh(
                "iptables -w -D DOCKER-USER -d 169.254.169.254/32 -j REJECT --reject-with icmp-port-unreachable",
              ),
            // What puts it back on a real host too: the unit that re-asserts it whenever Docker starts.
            repair: async () => void host.sh("systemctl restart openclaw-metadata-block.service"),
          },
          {
            check: "workspace sync timer",
            breakIt: async () => void (await asAdmin("systemctl --user stop openclaw-workspace-sync.timer")),
            repair: async () => void (await asAdmin("systemctl --user start openclaw-workspace-sync.timer")),
          },
        ],
      ];
      for (const faults of rounds) {
        const broken: Fault[] = [];
        try {
          for (const f of faults) {
            expect(names, `verify has a "${f.check}" check`).toContain(f.check);
            broken.push(f);
            await f.breakIt();
          }
          const r = await run();
          const which = faults.map((f) => f.check).join(" + ");
          expect(r.r.status, `verify must fail with ${which} broken`).not.toBe(0);
          expect(r.r.stderr).toMatch(/error: verification failed on /);
          for (const f of faults) {
            expect(r.r.stderr).toContain(f.check);
            for (const name of [f.check, ...(f.also ?? [])])
              expect(r.report?.checks.find((c) => c.name === name)?.ok, `${name} is reported as failing`).toBe(false);
            if (f.detail) {
              const details = r.report!.checks.filter((c) => c.name === f.check).map((c) => c.detail);
              expect(details, `${f.check} names its own fault`).toEqual(
                expect.arrayContaining([expect.stringMatching(f.detail)]),
              );
            }
          }
          log(`broken ${which}: verify fails naming ${r.r.stderr.trim().split("\n").pop()}`);
        } finally {
          for (const f of broken.reverse()) await f.repair();
        }
      }
      const again = await run();
      expect(again.r.status, describeResult(verify, again.r)).toBe(0);
      expect(again.report?.ok).toBe(true);
    },
    20 * 60_000,
  );
}
