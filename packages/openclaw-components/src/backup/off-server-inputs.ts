/**
 * Resolved off-server arguments as the two things a step needs: the settings
 * the plan shows, and the secrets that travel on stdin.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  offServerSettings,
  type OffServerPlain,
  type OffServerSettings,
  type resolveOffServerArgs,
  withoutOffServerSecrets,
} from "./off-server.js";
import { offServerSecrets, type BackupSecrets } from "./steps.js";

/**
 * Splits resolved off-server arguments into their settings (no secret) and
 * their secrets; `privateKey` is the SFTP login key (absent for S3).
 */
export function offServerOutputs(
  resolved: ReturnType<typeof resolveOffServerArgs>,
  privateKey: pulumi.Input<string> | undefined,
): { settings: pulumi.Output<OffServerSettings>; secrets: pulumi.Output<BackupSecrets> } {
  const { password, s3Credentials } = resolved;
  const settings = pulumi
    .output(withoutOffServerSecrets(resolved))
    .apply((p) => offServerSettings(p as OffServerPlain));
  const secrets = pulumi
    .all([password, s3Credentials?.accessKeyId, s3Credentials?.secretAccessKey, privateKey])
    .apply(([pw, accessKeyId, secretAccessKey, key]) =>
      offServerSecrets(
        {
          password: pw!,
          ...(accessKeyId !== undefined && secretAccessKey !== undefined
            ? { s3Credentials: { accessKeyId, secretAccessKey } }
            : {}),
        },
        key,
      ),
    );
  return { settings, secrets: pulumi.secret(secrets) };
}
