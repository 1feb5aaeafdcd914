import * as pulumi from "@pulumi/pulumi";
import { OpenClawDeployment, type Schedule } from "@openclaw/infra-components";

// Every personal value lives in this stack's config (Pulumi.prod.yaml); see
// Pulumi.prod.yaml.template for each key and which are secrets.
const cfg = new pulumi.Config();

const openclaw = new OpenClawDeployment("openclaw", {
  tailscaleAuthKey: cfg.requireSecret("tailscaleAuthKey"),
  claudeSetupToken: cfg.requireSecret("claudeSetupToken"),
  tailnetDnsName: cfg.require("tailnetDnsName"),
  serverName: cfg.get("serverName"),
  serverType: cfg.get("serverType"),
  location: cfg.get("location"),
  openclawVersion: cfg.get("openclawVersion"),
  model: cfg.get("model"),
  thinkingDefault: cfg.get("thinkingDefault"),
  gatewayTokenVersion: cfg.getNumber("gatewayTokenVersion"),
  backups: {
    schedule: cfg.get("backupSchedule"),
    keep: cfg.getNumber("backupKeep"),
  },
  sandbox: {
    dockerfileExtras: cfg.getObject<string[]>("sandboxDockerfileExtras"),
  },
  telegram: {
    botToken: cfg.getSecret("telegramBotToken"),
    userId: cfg.get("telegramUserId") ?? "",
    timezone: cfg.get("timezone"),
    schedules: cfg.getObject<Schedule[]>("schedules"),
  },
  workspaceSync: {
    repoUrl: cfg.get("workspaceRepoUrl"),
    interval: cfg.get("workspaceSyncInterval"),
  },
});

export const tailscaleUrl = openclaw.tailscaleUrl;
export const tailscaleUrlWithToken = openclaw.tailscaleUrlWithToken; // secret
export const gatewayToken = openclaw.gatewayToken; // secret
export const sshPrivateKey = openclaw.sshPrivateKey; // secret
export const workspaceDeployPublicKey = openclaw.workspaceDeployPublicKey;
export const serverIpv4 = openclaw.serverIpv4;
export const verifyReport = openclaw.verifyReport;
