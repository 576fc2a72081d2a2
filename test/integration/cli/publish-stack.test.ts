import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { answerDescribeStacks, runTidings, useStandIn } from '../../helpers/stand-ins.ts';

// `tidings publish <file.md> --stack Tidings` against the smallest servers that speak CloudFormation's
// DescribeStacks and S3's PutObject on 127.0.0.1 (no CloudFormation or S3 emulator is installed). The CLI
// builds its own SDK clients; the standard AWS_ENDPOINT_URL_* variables point them here.
const BUCKET = 'tidings-stateful-tidingsposts-1x2y3z';
const puts: { path: string; body: string; contentType: string | undefined }[] = [];

const endpoint = useStandIn((req, body, res) => {
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
  const name = new URLSearchParams(body).get('StackName') ?? '';
  answerDescribeStacks(res, name, name === 'Tidings-stateful' ? { BucketName: BUCKET } : undefined);
});

function tidings(...args: string[]): ReturnType<typeof runTidings> {
  return runTidings(args, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint(),
    AWS_ENDPOINT_URL_S3: endpoint(),
    AWS_MAX_ATTEMPTS: '1',
    // The SDK warns on stderr that it will need Node 22 from 2027; that is not what these tests look at.
    NODE_NO_WARNINGS: '1',
  });
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
