import * as pulumi from "@pulumi/pulumi";
import { OpenClawDeployment } from "@openclaw/infra-components";

const cfg = new pulumi.Config();

const openclaw = new OpenClawDeployment("openclaw", {
  tailscaleAuthKey: cfg.requireSecret("tailscaleAuthKey"),
  claudeSetupToken: cfg.requireSecret("claudeSetupToken"),
  tailnetDnsName: cfg.get("tailnetDnsName"), // e.g. "tail1234.ts.net"
});

export const tailscaleUrl = openclaw.tailscaleUrl;
export const tailscaleUrlWithToken = openclaw.tailscaleUrlWithToken; // secret
export const gatewayToken = openclaw.gatewayToken; // secret
// secret: ssh -i <(pulumi stack output sshPrivateKey --show-secrets) ubuntu@<host>
export const sshPrivateKey = openclaw.sshPrivateKey;
export const workspaceDeployPublicKey = openclaw.workspaceDeployPublicKey;
export const verifyReport = openclaw.verifyReport;
