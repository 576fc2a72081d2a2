import { spawn } from 'node:child_process';
import { type RawMessage, toRawBytes } from '../../functions/core/mime/build-message.ts';

/**
 * Runs Debian's `spamassassin -L -t` (local tests only, no network) on one message and returns its score
 * and the report of the rules hit (the "Content analysis details" part), for an assertion message.
 */
export function spamScore(message: RawMessage): Promise<{ score: number; report: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('spamassassin', ['-L', '-t'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', () => {
      const match = /Content analysis details:\s+\((-?[0-9.]+) points/.exec(out);
      if (!match?.[1]) return reject(new Error(`no score in spamassassin output:\n${out.slice(-2000)}`));
      resolve({ score: Number(match[1]), report: out.slice(out.indexOf('Content analysis details:')) });
    });
    child.stdin.end(toRawBytes(message));
  });
}
