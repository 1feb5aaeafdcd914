import * as pulumi from "@pulumi/pulumi";
import { OpenClawDeployment } from "@openclaw/infra-components";

const cfg = new pulumi.Config();

const openclaw = new OpenClawDeployment("openclaw", {
  tailscaleAuthKey: cfg.requireSecret("tailscaleAuthKey"),
  claudeSetupToken: cfg.requireSecret("claudeSetupToken"),
  tailnetDnsName: cfg.get("tailnetDnsName"), // e.g. "tail1234.ts.net"
});

export const url = openclaw.tailscaleUrl;
export const urlWithToken = openclaw.tailscaleUrlWithToken; // secret
export const workspaceDeployPublicKey = openclaw.workspaceDeployPublicKey;
