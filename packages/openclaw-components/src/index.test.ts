import { describe, expect, it } from "vitest";

// The public API at run time, pinned: a name added here is a semver promise,
// a name removed a breaking change. Types are free at run time and not listed.
describe("public exports", () => {
  it("the main entry has the components, the errors and the defaults users build on, nothing else", async () => {
    const names = Object.keys(await import("./index.js")).sort();
    expect(names).toEqual([
      "BACKUP_DEFAULTS",
      "DEFAULT_CLAUDE_CODE_VERSION",
      "DEFAULT_LABELS",
      "DEFAULT_NODE_RUNTIME",
      "DEFAULT_OPENCLAW_VERSION",
      "DEFAULT_SCHEDULES",
      "DEFAULT_TIMEZONE",
      "DiscordChannel",
      "GATEWAY_DEFAULTS",
      "Gateway",
      "HOST_DEFAULTS",
      "Host",
      "KNOWN_MODELS",
      "KNOWN_PROVIDER_MODELS",
      "MODEL_AUTH_PROVIDERS",
      "Network",
      "OFF_SERVER_DEFAULTS",
      "OWNED_CONFIG_KEYS",
      "OpenClawArgsError",
      "OpenClawConfigPatch",
      "OpenClawDeployment",
      "RETIRED_MODELS",
      "SANDBOX_DEFAULTS",
      "SECRET_REF_KEY",
      "Sandbox",
      "SandboxMode",
      "ScheduledJobs",
      "SlackChannel",
      "StateBackups",
      "TelegramChannel",
      "TelegramSchedules",
      "WORKSPACE_SYNC_DEFAULTS",
      "WhatsAppChannel",
      "WorkspaceAccess",
      "WorkspaceSync",
    ]);
  });

  it("the testing entry has the mocks, the change-impact helper and the rendering", async () => {
    const names = Object.keys(await import("./testing/index.js")).sort();
    expect(names).toEqual([
      "MockRecorder",
      "REPLACING_INPUTS",
      "changeImpact",
      "compareRecordings",
      "installMocks",
      "isSecret",
      "recordRun",
      "renderDeployment",
      "renderedConfigText",
      "settle",
      "stackImpact",
      "valueOf",
    ]);
  });
});
