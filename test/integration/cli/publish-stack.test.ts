import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `tidings publish <file.md> --stack Tidings` against the smallest servers that speak CloudFormation's
// DescribeStacks and S3's PutObject on 127.0.0.1 (no CloudFormation or S3 emulator is installed). The CLI
// builds its own SDK clients; the standard AWS_ENDPOINT_URL_* variables point them here.
const BUCKET = 'tidings-stateful-tidingsposts-1x2y3z';
const puts: { path: string; body: string; contentType: string | undefined }[] = [];
let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      if (req.method === 'PUT') {
        puts.push({
          path: new URL(req.url ?? '/', 'http://local').pathname,
          body,
          contentType: req.headers['content-type'],
        });
        res.setHeader('ETag', '"e1"');
        res.end();
        return;
      }
      const name = new URLSearchParams(body).get('StackName');
      res.setHeader('content-type', 'text/xml');
      if (name !== 'Tidings-stateful') {
        res.statusCode = 400;
        res.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${name} does not exist</Message></Error></ErrorResponse>`,
        );
        return;
      }
      res.end(
        `<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>${name}</StackName><StackStatus>UPDATE_COMPLETE</StackStatus><CreationTime>2026-11-29T00:00:00Z</CreationTime><Outputs><member><OutputKey>BucketName</OutputKey><OutputValue>${BUCKET}</OutputValue></member></Outputs></member></Stacks></DescribeStacksResult></DescribeStacksResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** Runs the CLI without blocking this process's event loop (the fake servers answer from it). */
function tidings(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/tidings.mjs', ...args], {
    env: {
      ...process.env,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint,
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_MAX_ATTEMPTS: '1',
      // The SDK warns on stderr that it will need Node 22 from 2027; that is not what these tests look at.
      NODE_NO_WARNINGS: '1',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

describe('tidings publish --stack', () => {
  it('uploads the Markdown file under posts/ in the bucket named by the stack outputs', async () => {
    // Act
    const run = await tidings('publish', 'examples/posts/short-note.md', '--stack', 'Tidings', '--json');
    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      stackName: 'Tidings-stateful',
      bucket: BUCKET,
      key: 'posts/short-note.md',
    });
    expect(puts).toHaveLength(1);
    expect(puts[0]?.path).toBe(`/${BUCKET}/posts/short-note.md`);
    expect(puts[0]?.body).toBe(readFileSync('examples/posts/short-note.md', 'utf8'));
    expect(puts[0]?.contentType).toBe('text/markdown; charset=utf-8');
  });

  it('exits 1 with one line naming the missing stack', async () => {
    const run = await tidings('publish', 'examples/posts/short-note.md', '--stack', 'Elsewhere');
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('stack Elsewhere-stateful does not exist');
  });

  it('refuses a feed: feeds are polled by the deployed poller', async () => {
    const run = await tidings('publish', 'examples/feeds/atom.xml', '--stack', 'Tidings');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--stack uploads a Markdown file (.md)');
  });
});
