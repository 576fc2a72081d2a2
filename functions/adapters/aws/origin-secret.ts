import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../../core/errors.ts';

const cache = new Map<string, Promise<string>>();

/**
 * The value CloudFront sends to the subscriber pages in its origin header, read from Secrets Manager once
 * per container (a failed read is forgotten, so the next invocation retries). Never logged; an error
 * names only the ARN.
 */
export function cachedOriginSecret(client: SecretsManagerClient, secretArn: string): Promise<string> {
  let value = cache.get(secretArn);
  if (!value) {
    value = (async () => {
      const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
      if (!out.SecretString || out.SecretString.length < 16)
        throw new ConfigError(
          'ORIGIN_SECRET_INVALID',
          `${secretArn}: the CloudFront origin secret is empty or too short; redeploy the stateless stack`,
        );
      return out.SecretString;
    })();
    cache.set(secretArn, value);
    value.catch(() => cache.delete(secretArn));
  }
  return value;
}
