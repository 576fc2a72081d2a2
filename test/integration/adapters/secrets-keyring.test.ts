import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cachedSecretKeyRing, loadSecretKeyRing } from '../../../functions/adapters/aws/secrets-keyring.ts';
import { signToken, verifyToken } from '../../../functions/core/tokens/tokens.ts';
import { type StandIn, standInClientConfig, startStandIn } from '../../helpers/stand-ins.ts';

// No Secrets Manager emulator is installed, so this is the smallest one that speaks its wire protocol
// (JSON 1.1, X-Amz-Target) on 127.0.0.1: the real SDK client serializes, signs and parses every call.
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tidings-signing-key-AbCdEf';
let versions: Record<string, string> = {};
let calls: { target: string; stage: string }[] = [];
let server: StandIn;
let client: SecretsManagerClient;

beforeAll(async () => {
  server = await startStandIn((req, body, res) => {
    const input = JSON.parse(body) as { SecretId: string; VersionStage?: string };
    const stage = input.VersionStage ?? 'AWSCURRENT';
    calls.push({ target: String(req.headers['x-amz-target']), stage });
    const value = input.SecretId.startsWith(ARN) ? versions[stage] : undefined;
    res.setHeader('content-type', 'application/x-amz-json-1.1');
    if (value === undefined) {
      res.statusCode = 400;
      res.end(
        JSON.stringify({ __type: 'ResourceNotFoundException', message: `no version with stage ${stage}` }),
      );
      return;
    }
    res.end(
      JSON.stringify({ ARN, Name: 'tidings-signing-key', SecretString: value, VersionStages: [stage] }),
    );
  });
  client = new SecretsManagerClient(standInClientConfig(server.url));
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

beforeEach(() => {
  versions = {};
  calls = [];
});

const A = 'a'.repeat(20) + 'Zx9'.repeat(15);
const B = 'b'.repeat(20) + 'Qw3'.repeat(15);
const claims = { purpose: 'unsubscribe', sub: 's_1', list: 'podcast', exp: 2_000_000_000 } as const;

describe('loadSecretKeyRing', () => {
  it('signs links with the generated {kid, secret} that verify with the same ring', async () => {
    // Prepare
    versions.AWSCURRENT = JSON.stringify({ kid: 'k1', secret: A });
    // Act
    const ring = await loadSecretKeyRing(client, ARN);
    // Assess
    expect(ring.current.id).toBe('k1');
    expect(ring.previous).toBeUndefined();
    expect(verifyToken(signToken(claims, ring), ring, 'unsubscribe', 1_900_000_000)).toMatchObject({
      ok: true,
    });
    expect(calls.map((c) => c.target)).toEqual([
      'secretsmanager.GetSecretValue',
      'secretsmanager.GetSecretValue',
    ]);
  });

  it('still accepts links signed before a rotation, and signs new ones with the new key', async () => {
    // Prepare: a link mailed under k1, then an operator rotates to k2.
    versions.AWSCURRENT = JSON.stringify({ kid: 'k1', secret: A });
    const before = signToken(claims, await loadSecretKeyRing(client, ARN));
    versions = {
      AWSCURRENT: JSON.stringify({ kid: 'k2', secret: B }),
      AWSPREVIOUS: JSON.stringify({ kid: 'k1', secret: A }),
    };
    // Act
    const ring = await loadSecretKeyRing(client, ARN);
    // Assess
    expect(ring.current.id).toBe('k2');
    expect(verifyToken(before, ring, 'unsubscribe', 1_900_000_000)).toMatchObject({ ok: true });
    expect(signToken(claims, ring).split('.')[1]).toBe('k2');
  });

  it('refuses a malformed or short secret with a one-line error that never contains the value', async () => {
    versions.AWSCURRENT = JSON.stringify({ kid: 'k1', secret: 'too-short-secret' });
    const error = await loadSecretKeyRing(client, ARN).then(
      () => {
        throw new Error('expected a refusal');
      },
      (e: Error & { code: string }) => e,
    );
    expect(error).toMatchObject({ code: 'SIGNING_KEY_INVALID' });
    expect(error.message).toContain(ARN);
    expect(error.message).not.toContain('too-short-secret');
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('reports a missing secret by ARN and stage', async () => {
    const error = await loadSecretKeyRing(client, ARN).then(
      () => {
        throw new Error('expected a refusal');
      },
      (e: Error & { code: string }) => e,
    );
    expect(error).toMatchObject({ code: 'SIGNING_KEY_UNREADABLE' });
    expect(error.message).toContain(`${ARN} (AWSCURRENT)`);
  });
});

describe('cachedSecretKeyRing', () => {
  it('reads Secrets Manager once per container, however many invocations ask', async () => {
    versions.AWSCURRENT = JSON.stringify({ kid: 'k7', secret: A });
    const [first, second] = await Promise.all([
      cachedSecretKeyRing(client, ARN),
      cachedSecretKeyRing(client, ARN),
    ]);
    const third = await cachedSecretKeyRing(client, ARN);
    expect(first.current.id).toBe('k7');
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(calls).toHaveLength(2); // AWSCURRENT + AWSPREVIOUS, once
  });
});

describe('cachedSecretKeyRing after a rotation', () => {
  it('reads the secret again for a link signed with a key it does not know, at most once a minute', async () => {
    // Prepare: a warm container loaded k1; then the secret rotates and a fresher container signs with k2.
    let now = 1_764_300_000_000;
    versions.AWSCURRENT = JSON.stringify({ kid: 'k1', secret: A });
    const ring = await cachedSecretKeyRing(client, `${ARN}-rotated`, { now: () => now });
    versions = {
      AWSCURRENT: JSON.stringify({ kid: 'k2', secret: B }),
      AWSPREVIOUS: JSON.stringify({ kid: 'k1', secret: A }),
    };
    const fresh = signToken(claims, await loadSecretKeyRing(client, ARN));
    calls = [];
    now += 120_000;
    expect(verifyToken(fresh, ring, 'unsubscribe', 1_900_000_000)).toEqual({
      ok: false,
      reason: 'unknown-key',
    });
    // Act
    const known = await ring.reload?.('k2');
    // Assess
    expect(known).toBe(true);
    expect(verifyToken(fresh, ring, 'unsubscribe', 1_900_000_000)).toMatchObject({ ok: true });
    expect(ring.current.id).toBe('k2');
    expect(calls).toHaveLength(2);
    // A forged key id right after: no second read within the minute, and still refused.
    expect(await ring.reload?.('k9')).toBe(false);
    expect(calls).toHaveLength(2);
    now += 61_000;
    expect(await ring.reload?.('k9')).toBe(false);
    expect(calls).toHaveLength(4);
  });
});
