import { expect, it } from "vitest";
import { log, ssh, tcpProbe } from "./harness.js";
import { ADMIN, NPM_INSTALL, PORT, host, net, requireProvisioned, secretFindings, secrets, target } from "./fixture.js";

/** Nothing public, nothing readable, no secret where it should not be. */
export function security(): void {
  it(
    "security: SSH only through tailscale0, the gateway only on loopback",
    async () => {
      requireProvisioned();
      expect(await tcpProbe(net.tsAddr, 22)).toBe("open");
      expect(await tcpProbe(net.pubAddr, 22)).toBe("timeout");
      expect(await tcpProbe(net.pubAddr, PORT)).toBe("timeout");
      // Nothing listens on the tailnet address: the way in is Tailscale Serve (443, tailscaled).
      expect(await tcpProbe(net.tsAddr, PORT)).toBe("refused");
      const eth0 = await ssh({ ...target, host: net.pubAddr }, "true", { timeoutMs: 30_000 });
      expect(eth0.status).toBe(255);
      expect(eth0.stderr).toMatch(/timed out/);

      const listeners = host
        .sh("ss -H -ltnp")
        .trim()
        .split("\n")
        .map((l) => {
          const f = l.trim().split(/\s+/);
          return { local: f[3]!, process: f.slice(5).join(" ") };
        });
      log(`listeners: ${listeners.map((l) => `${l.local} ${/\(\("([^"]+)"/.exec(l.process)?.[1] ?? "?"}`).join(", ")}`);
      const loopback = (a: string) => /^(127\.\d+\.\d+\.\d+|\[::1\]):\d+$/.test(a);
      const gateway = listeners.filter((l) => /openclaw|node/.test(l.process));
      expect(gateway.map((l) => l.local)).toContain(`127.0.0.1:${PORT}`);
      expect(gateway.filter((l) => !loopback(l.local))).toEqual([]);
      expect(
        listeners.filter((l) => !loopback(l.local)).every((l) => /:22$/.test(l.local) && /"sshd"/.test(l.process)),
      ).toBe(true);
    },
    5 * 60_000,
  );

  it(
    "security: ~/.openclaw is 0700 and its config 0600; password and root logins are refused",
    async () => {
      requireProvisioned();
      expect(
        host.sh(`stat -c '%a %U' /home/${ADMIN}/.openclaw /home/${ADMIN}/.openclaw/openclaw.json`).trim().split("\n"),
      ).toEqual([`700 ${ADMIN}`, `600 ${ADMIN}`]);
      const sshd = host.sh(
        "sshd -T -C user=ubuntu,host=x,addr=127.0.0.1 2>/dev/null | grep -E '^(passwordauthentication|kbdinteractiveauthentication|permitrootlogin|pubkeyauthentication|allowusers) '",
      );
      expect(sshd).toMatch(/^passwordauthentication no$/m);
      expect(sshd).toMatch(/^kbdinteractiveauthentication no$/m);
      expect(sshd).toMatch(/^permitrootlogin no$/m);
      expect(sshd).toMatch(/^allowusers ubuntu$/m);
      // The server offers nothing but public keys.
      const pw = await ssh(target, "true", {
        timeoutMs: 30_000,
        extra: ["-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password,keyboard-interactive"],
      });
      expect(pw.status).toBe(255);
      expect(pw.stderr).toMatch(/Permission denied \(publickey\)/);
      // Even with the admin key authorised for root, root may not log in.
      host.sh(
        "install -d -m 0700 /root/.ssh && cat >/root/.ssh/authorized_keys && chmod 0600 /root/.ssh/authorized_keys",
        { input: secrets.adminPublicKey },
      );
      try {
        const root = await ssh({ ...target, user: "root" }, "true", { timeoutMs: 30_000 });
        expect(root.status).toBe(255);
        expect(root.stderr).toMatch(/Permission denied/);
      } finally {
        host.sh("rm -f /root/.ssh/authorized_keys");
      }
    },
    5 * 60_000,
  );

  it(
    "security: no secret but the Tailscale key in cloud-init's data and logs, none in the journal or any argv",
    async () => {
      requireProvisioned();
      const argv = host.recordedArgv();
      log(`argv recorder: ${argv.length} distinct command lines`);
      // It saw the steps' long-running commands (so it was recording while they ran).
      expect(argv.some((l) => l.includes(NPM_INSTALL))).toBe(true);
      expect(argv.some((l) => /openclaw.* config patch --stdin/.test(l))).toBe(true);
      expect(secretFindings()).toEqual([]);
    },
    10 * 60_000,
  );
}

/** The secret sweep again, after everything the other scenarios did. */
export function noSecretLeftAfterChanges(): void {
  it(
    "after re-runs, a killed step, a reboot and changes: still no secret where it should not be",
    async () => {
      requireProvisioned();
      expect(secretFindings()).toEqual([]);
    },
    10 * 60_000,
  );
}
