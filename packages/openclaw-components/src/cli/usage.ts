/** `openclaw-infra --help`. */
import { docsUrl } from "../docs-url.js";

export const USAGE = `Usage: openclaw-infra plan [dir] [options]

Shows, without a cloud account, the Pulumi CLI or the network, what a stack that
uses @openclaw/infra-components would create and put on the server.

Options:
  --stack <name>          read Pulumi.<name>.yaml (default: the only stack file, or its .template)
  --config-file <file>    read this stack config file instead
  --compare <file>        also show what changing to that stack config file would do
  --json                  print the plan as one JSON document (its shape: ${docsUrl("plan.md")})
  --scripts               print each remote step's full script
  --no-color              plain text even on a terminal
  -h, --help              this text

       openclaw-infra tailnet-nodes <remove-offline|remove-when-offline|keep>

Run by a stack's tailnet-node step (with tailscaleOAuthClient), not by hand:
removes the offline tailnet nodes of the server named in OPENCLAW_TAILNET_HOSTNAME
that carry a tag of OPENCLAW_TAILNET_TAGS (before the server is created, or once
it is destroyed), with the OAuth client read as JSON from stdin.
`;
