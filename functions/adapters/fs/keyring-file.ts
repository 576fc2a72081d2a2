import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError } from '../../core/errors.ts';
import type { KeyRing } from '../../core/tokens/tokens.ts';

/** Where local signing keys live (git-ignored with the rest of .tidings/). */
export const LOCAL_KEYRING_PATH = '.tidings/keys.json';

interface KeyFile {
  readonly current: { readonly id: string; readonly secret: string };
  readonly previous?: readonly { readonly id: string; readonly secret: string }[];
}

/**
 * The signing keys for tokens on this machine (unsubscribe, preferences, confirm links in local
 * mails). Created on first use from 32 random bytes, written with mode 0600. The secret is never
 * logged or printed; on AWS the key comes from Secrets Manager instead.
 */
export async function loadOrCreateLocalKeyRing(path: string = LOCAL_KEYRING_PATH): Promise<KeyRing> {
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text === undefined) {
    const file: KeyFile = {
      current: { id: `k${Date.now().toString(36)}`, secret: randomBytes(32).toString('base64url') },
    };
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' }).catch(
      async (error) => {
        // Another process created it first: use theirs.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      },
    );
    await chmod(path, 0o600);
    text = await readFile(path, 'utf8');
  }
  return parseKeyFile(text, path);
}

function parseKeyFile(text: string, path: string): KeyRing {
  let file: KeyFile;
  try {
    file = JSON.parse(text) as KeyFile;
  } catch {
    throw new ConfigError(
      'SIGNING_KEY_INVALID',
      `${path}: not valid JSON; delete it and a new key is generated`,
    );
  }
  const toKey = (k: { id: string; secret: string }) => {
    const secret = Buffer.from(k.secret ?? '', 'base64url');
    if (typeof k.id !== 'string' || secret.length < 32) {
      throw new ConfigError(
        'SIGNING_KEY_INVALID',
        `${path}: key "${String(k.id)}" must have an id and a 32-byte secret; delete the file to regenerate`,
      );
    }
    return { id: k.id, secret: new Uint8Array(secret) };
  };
  if (!file.current)
    throw new ConfigError('SIGNING_KEY_INVALID', `${path}: no "current" key; delete the file to regenerate`);
  const previous = (file.previous ?? []).map(toKey);
  return previous.length > 0 ? { current: toKey(file.current), previous } : { current: toKey(file.current) };
}
