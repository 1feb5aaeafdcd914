import { describe, expect, it } from "vitest";
import {
  agentSyncNames,
  aliasRemote,
  calendarFor,
  renderAgentSyncService,
  SYNC_SERVICE_UNIT,
  WORKSPACE_GIT_DIR,
  parseGitSshUrl,
  renderSshAlias,
  renderSyncTimer,
  SSH_ALIAS,
  timeSpanSeconds,
} from "./workspace-config.js";
import syncProgram from "./scripts/workspace-sync.sh";

describe("the workspaces' repositories live outside the workspaces (the sandbox can write those)", () => {
  it("the main sync unit names the main repository; the sync program has no path of its own", () => {
    expect(WORKSPACE_GIT_DIR).toBe(".openclaw/.infra/git/workspace.git");
    expect(SYNC_SERVICE_UNIT).toContain(
      "\nEnvironment=OPENCLAW_WORKSPACE_GIT_DIR=%h/.openclaw/.infra/git/workspace.git\n",
    );
    expect(SYNC_SERVICE_UNIT).not.toMatch(/@[A-Z_]+@/);
    expect(syncProgram).toContain('GIT_DIR="${OPENCLAW_WORKSPACE_GIT_DIR:?');
    expect(syncProgram).not.toContain(".infra/git");
  });

  it("an agent's unit points the program at its workspace and its own repository", () => {
    const unit = renderAgentSyncService("research", "~/.openclaw/workspace-research");
    expect(agentSyncNames("research").gitDir).toBe(".openclaw/.infra/git/agent-research.git");
    expect(unit).toContain("\nEnvironment=OPENCLAW_WORKSPACE=%h/.openclaw/workspace-research\n");
    expect(unit).toContain("\nEnvironment=OPENCLAW_WORKSPACE_GIT_DIR=%h/.openclaw/.infra/git/agent-research.git\n");
    expect(unit).not.toMatch(/@[A-Z_]+@/);
  });
});

describe("parseGitSshUrl", () => {
  it("reads scp-like and ssh:// URLs, with a port and an IPv6 host", () => {
    expect(parseGitSshUrl("git@github.com:me/ws.git")).toEqual({
      user: "git",
      host: "github.com",
      path: "me/ws.git",
      sshScheme: false,
    });
    expect(parseGitSshUrl("ssh://git@git.example.org:2222/srv/ws.git")).toEqual({
      user: "git",
      host: "git.example.org",
      port: 2222,
      path: "/srv/ws.git",
      sshScheme: true,
    });
    expect(parseGitSshUrl("ssh://[fd00::1]/ws.git")).toMatchObject({ user: "git", host: "[fd00::1]" });
  });
  it.each(["https://github.com/me/ws.git", "ssh://git@host:70000/ws.git", "git@host://ws.git", "me/ws.git"])(
    "refuses %s",
    (url) => expect(parseGitSshUrl(url)).toBeUndefined(),
  );
});

describe("the SSH alias", () => {
  it("points git at the alias, and the alias at the real host with the deploy key only", () => {
    const url = parseGitSshUrl("ssh://git@[fd00::1]:2222/ws.git")!;
    expect(aliasRemote(url)).toBe(`ssh://${SSH_ALIAS}/ws.git`);
    const alias = renderSshAlias(url);
    expect(alias).toContain("  HostName fd00::1\n");
    expect(alias).toContain("  Port 2222\n");
    expect(alias).toContain("  IdentitiesOnly yes");
    expect(renderSshAlias(parseGitSshUrl("git@github.com:me/ws.git")!)).not.toContain("Port");
  });
});

describe("timeSpanSeconds", () => {
  it.each([
    ["15min", 900],
    ["1h 30min", 5400],
    ["2d", 172800],
    ["90", 90],
  ] as const)("%s is %i s", (span, s) => expect(timeSpanSeconds(span)).toBe(s));
  it.each(["0", "1x", "h", "1h; reboot", ""])("refuses %j", (span) => expect(timeSpanSeconds(span)).toBeUndefined());
});

describe("calendarFor", () => {
  it.each([
    [900, "*-*-* *:00/15:00"],
    [3600, "hourly"],
    [21600, "*-*-* 00/6:00:00"],
    [86400, "daily"],
    [604800, "weekly"],
  ] as const)("%i s → %s", (s, calendar) => expect(calendarFor(s)).toBe(calendar));
  it.each([420, 18000, 90, 172800])("%i s divides neither an hour nor a day: no calendar", (s) =>
    expect(calendarFor(s)).toBeUndefined(),
  );
});

describe("renderSyncTimer", () => {
  it("delays by a sixth of the interval, at most five minutes", () => {
    expect(renderSyncTimer(900)).toContain("RandomizedDelaySec=150s");
    expect(renderSyncTimer(86400)).toContain("RandomizedDelaySec=300s");
    expect(renderSyncTimer(3600)).toContain("OnCalendar=hourly");
  });
  it("refuses an interval it cannot express as a calendar", () =>
    expect(() => renderSyncTimer(420)).toThrow(/does not divide/));
});
