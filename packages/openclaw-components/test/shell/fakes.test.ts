/**
 * The shell tier's own instruments: the recording fake records argv exactly,
 * captures stdin only when something was piped to the call, answers by rule;
 * the sandbox has no network, hides this machine's /usr/local/bin, and the
 * fake sudo refuses paths outside it.
 */
import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { Sandbox, shellTierAvailable } from "./harness.js";

const available = shellTierAvailable();

describe.skipIf(!available)("shell tier instruments", () => {
  let sb: Sandbox;
  afterEach(() => sb?.cleanup());

  it("records every argument exactly, whatever it contains", () => {
    sb = new Sandbox();
    const args = [
      "",
      "a b",
      '"double"',
      "it's",
      "$HOME",
      "`id`",
      "$(id)",
      "back\\slash",
      "tab\there",
      "new\nline",
      "ctl\u0001x",
      "ünïcødé ✓",
      "*",
      "--flag=a=b",
    ];
    const res = sb.run({ command: `openclaw "$@"` }, { args: ["bash", ...args] });
    expect(res.status, res.stderr).toBe(0);
    expect(res.calls.map((c) => c.argv)).toEqual([["openclaw", ...args]]);
    expect(res.calls[0]!.cwd).toBe(sb.home);
  });

  it("captures stdin piped to a call, and leaves a loop's input to the loop", () => {
    sb = new Sandbox();
    const res = sb.run({
      command: [
        "printf 'on stdin' | openclaw config patch --stdin",
        "openclaw --version",
        "while IFS= read -r n; do openclaw cron rm \"$n\"; done < <(printf '1\\n2\\n3\\n')",
        "printf '1\\n2\\n' | while IFS= read -r n; do docker rm \"$n\"; done",
        "cat",
      ].join("\n"),
      stdin: "the step's own stdin\n",
    });
    expect(res.status, res.stderr).toBe(0);
    const calls = res.calls.map((c) => [c.argv.join(" "), c.stdin, c.stdinText]);
    expect(calls).toEqual([
      ["openclaw config patch --stdin", true, "on stdin"],
      ["openclaw --version", false, ""],
      ["openclaw cron rm 1", false, ""],
      ["openclaw cron rm 2", false, ""],
      ["openclaw cron rm 3", false, ""],
      ["docker rm 1", false, ""],
      ["docker rm 2", false, ""],
    ]);
    // The fake did not read the step's stdin either.
    expect(res.stdout).toBe("the step's own stdin\n");
  });

  it("answers by the first matching rule: overrides first, globs, exit codes, side effects", () => {
    sb = new Sandbox();
    sb.rule({ argv: ["systemctl", "is-active"], exit: 0, stdout: "active\n" });
    sb.rule({ argv: ["systemctl"], exit: 5 });
    sb.override({ argv: ["systemctl", "is-active", "--quiet", "user@*.service"], exit: 3 });
    sb.rule({ argv: ["openclaw", "cron", "list"], stdout: '{"jobs":[]}\n' });
    sb.rule({ argv: ["touchy"], run: 'echo "$#:$1" > "$FAKE_STATE/touched"; exit 4' });
    sb.addTool("touchy");
    const res = sb.run({
      command: [
        'systemctl is-active docker.service; echo "a=$?"',
        'systemctl is-active --quiet user@1000.service; echo "b=$?"',
        'systemctl restart x; echo "c=$?"',
        'openclaw cron list --all; echo "d=$?"',
        'touchy one two; echo "e=$?"',
        'tailscale up; echo "f=$?"',
      ].join("\n"),
    });
    expect(res.stdout.split("\n").filter(Boolean)).toEqual([
      "active",
      "a=0",
      "b=3",
      "c=5",
      '{"jobs":[]}',
      "d=0",
      "e=4",
      "f=0",
    ]);
    expect(res.calls.map((c) => c.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("has no network, and this machine's /usr/local/bin and /opt are replaced by test directories", () => {
    sb = new Sandbox();
    const res = sb.run({
      command: [
        "if (exec 3<>/dev/tcp/1.1.1.1/53) 2>/dev/null; then echo net=yes; else echo net=no; fi",
        'echo "bin=$(ls -A /usr/local/bin | wc -l) opt=$(ls -A /opt | wc -l)"',
        'export PATH="/usr/local/bin:$PATH"; echo "docker=$(command -v docker)"',
      ].join("\n"),
    });
    expect(res.stdout.split("\n").filter(Boolean)).toEqual(["net=no", "bin=0 opt=0", `docker=${sb.bin}/docker`]);
  });

  it("a tool taken away is absent even where this machine has a real copy", () => {
    sb = new Sandbox().removeTool("docker").removeTool("git");
    const res = sb.run({
      command: 'command -v docker || echo "no docker"; command -v git || echo "no git"; command -v jq',
    });
    expect(res.stdout.split("\n").filter(Boolean)).toEqual(["no docker", "no git", expect.stringMatching(/\/jq$/)]);
  });

  it("the fake sudo (with side effects) refuses any path outside the sandbox", () => {
    sb = new Sandbox();
    sb.rule({ argv: ["sudo"], source: "sudo.sh" });
    const target = `/etc/openclaw-shell-tier-${process.pid}`;
    const res = sb.run({
      command: `sudo touch ${target}; echo "etc=$?"; sudo install -d /opt/openclaw; echo "opt=$?"`,
    });
    expect(res.stdout.split("\n").filter(Boolean)).toEqual(["etc=97", "opt=0"]);
    expect(res.stderr).toContain(`refusing to touch ${target}`);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(sb.hostPath("/opt/openclaw"))).toBe(true);
  });
});
