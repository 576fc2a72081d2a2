import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../../core/errors.ts';
import { type KeyRing, ringHasKey, type SigningKey } from '../../core/tokens/tokens.ts';

/**
 * The secret's JSON, as the stateful stack generates it: `{ "kid": "k1", "secret": "<64 characters>" }`.
 * The secret's UTF-8 bytes are the HMAC key (64 alphanumerics ≈ 380 bits).
 */
interface SecretValue {
  readonly kid?: unknown;
  readonly secret?: unknown;
}

const MIN_SECRET_LENGTH = 32;

/**
 * Reads the signing KeyRing from Secrets Manager: AWSCURRENT signs and verifies, and AWSPREVIOUS (after a
 * rotation) still verifies, so links mailed before a rotation keep working. The key material is never
 * logged and never put in an error message; errors name only the ARN and the stage.
 *
 * @example
 * const ring = await loadSecretKeyRing(new SecretsManagerClient({}), process.env.TIDINGS_SIGNING_KEY_ARN)
 */
export async function loadSecretKeyRing(client: SecretsManagerClient, secretArn: string): Promise<KeyRing> {
  const current = await readKey(client, secretArn, 'AWSCURRENT');
  if (!current) {
    throw new ConfigError(
      'SIGNING_KEY_MISSING',
      `${secretArn}: the signing key secret has no current value; redeploy the stateful stack`,
    );
  }
  const previous = await readKey(client, secretArn, 'AWSPREVIOUS');
  return previous && previous.id !== current.id ? { current, previous: [previous] } : { current };
}

/** How often, at most, an unknown key id makes a warm container read the secret again. */
export const KEY_RELOAD_INTERVAL_MS = 60_000;

export interface CachedKeyRingOptions {
  /** @default KEY_RELOAD_INTERVAL_MS */
  readonly minReloadIntervalMs?: number;
  /** Milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
}

const cache = new Map<string, Promise<KeyRing>>();

/**
 * `loadSecretKeyRing`, once per container and ARN: the cold start pays one or two GetSecretValue calls,
 * warm invocations none. A failed load is forgotten so the next invocation retries.
 *
 * The ring it returns is live: after a rotation, links signed with the new key by a fresher container
 * name a key id this one does not know; `reload(kid)` then reads the secret again (at most once per
 * `minReloadIntervalMs`, concurrent callers share one read; a failed read keeps the old keys) and the
 * ring's `current`/`previous` become the new ones.
 */
export function cachedSecretKeyRing(
  client: SecretsManagerClient,
  secretArn: string,
  options: CachedKeyRingOptions = {},
): Promise<KeyRing> {
  let pending = cache.get(secretArn);
  if (!pending) {
    const now = options.now ?? Date.now;
    const startedAt = now();
    pending = loadSecretKeyRing(client, secretArn).then(
      (ring) =>
        new LiveKeyRing(ring, startedAt, () => loadSecretKeyRing(client, secretArn), {
          now,
          minReloadIntervalMs: options.minReloadIntervalMs ?? KEY_RELOAD_INTERVAL_MS,
        }),
    );
    pending.catch(() => cache.delete(secretArn));
    cache.set(secretArn, pending);
  }
  return pending;
}

class LiveKeyRing implements KeyRing {
  #ring: KeyRing;
  #loadedAt: number;
  #inflight: Promise<void> | undefined;
  readonly #load: () => Promise<KeyRing>;
  readonly #options: Required<CachedKeyRingOptions>;

  constructor(
    ring: KeyRing,
    loadedAt: number,
    load: () => Promise<KeyRing>,
    options: Required<CachedKeyRingOptions>,
  ) {
    this.#ring = ring;
    this.#loadedAt = loadedAt;
    this.#load = load;
    this.#options = options;
  }

  get current(): SigningKey {
    return this.#ring.current;
  }

  get previous(): readonly SigningKey[] {
    return this.#ring.previous ?? [];
  }

  readonly reload = async (kid: string): Promise<boolean> => {
    if (ringHasKey(this.#ring, kid)) return true;
    if (!this.#inflight) {
      const at = this.#options.now();
      if (at - this.#loadedAt < this.#options.minReloadIntervalMs) return false;
      this.#loadedAt = at;
      this.#inflight = this.#load()
        .then((ring) => {
          this.#ring = ring;
        })
        .finally(() => {
          this.#inflight = undefined;
        });
    }
    try {
      await this.#inflight;
    } catch {
      // Keep the keys we have; the next unknown key after the interval tries again.
    }
    return ringHasKey(this.#ring, kid);
  };
}

async function readKey(
  client: SecretsManagerClient,
  secretArn: string,
  stage: 'AWSCURRENT' | 'AWSPREVIOUS',
): Promise<SigningKey | undefined> {
  let text: string | undefined;
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn, VersionStage: stage }));
    text = out.SecretString;
  } catch (error) {
    // No previous version until the first rotation: that is normal, not an error.
    if (stage === 'AWSPREVIOUS' && error instanceof ResourceNotFoundException) return undefined;
    throw new ConfigError(
      'SIGNING_KEY_UNREADABLE',
      `${secretArn} (${stage}): cannot read the signing key: ${(error as Error).name}`,
      {
        cause: error,
      },
    );
  }
  if (text === undefined) return undefined;
  let value: SecretValue;
  try {
    value = JSON.parse(text) as SecretValue;
  } catch {
    throw invalid(secretArn, stage);
  }
  if (typeof value.kid !== 'string' || value.kid === '' || typeof value.secret !== 'string')
    throw invalid(secretArn, stage);
  if (value.secret.length < MIN_SECRET_LENGTH) throw invalid(secretArn, stage);
  return { id: value.kid, secret: new Uint8Array(Buffer.from(value.secret, 'utf8')) };
}

function invalid(secretArn: string, stage: string): ConfigError {
  return new ConfigError(
    'SIGNING_KEY_INVALID',
    `${secretArn} (${stage}): the signing key must be JSON {"kid": "...", "secret": "<${MIN_SECRET_LENGTH}+ characters>"}`,
  );
}
