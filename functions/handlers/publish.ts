import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Context, LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { s3ClientFor } from '../adapters/aws/s3-client.ts';
import { loadTemplates } from '../adapters/local/templates.ts';
import { InvalidInputError, TidingsError } from '../core/errors.ts';
import { parseMarkdownPost } from '../core/posts/markdown.ts';
import { systemClock } from '../ports/clock.ts';
import { makeRenderFn } from '../use-cases/render-for-plan.ts';
import { type App, lambdaApp } from '../wiring.ts';
import { lambdaObservability, type Observability } from './observability.ts';

/** EventBridge's "Object Created" event for a Markdown file put under posts/. */
interface S3ObjectCreated {
  readonly source: 'aws.s3';
  readonly 'detail-type': 'Object Created';
  readonly detail: { readonly bucket: { readonly name: string }; readonly object: { readonly key: string } };
}

/**
 * The publish function. Two triggers, one use case:
 * - an S3 put of `posts/<slug>.md` (EventBridge): reads the file and publishes it;
 * - a POST to its Function URL (IAM auth) with the Markdown as the body; `?slug=`, `?list=`, `?resend=true`.
 * Publishing plans in this process (render once, fan out).
 */
export function makePublishHandler(
  app: () => Promise<Pick<App, 'publish' | 'config' | 'clients'>>,
  { logger }: Observability,
): (
  event: S3ObjectCreated | LambdaFunctionURLEvent,
  context?: Context,
) => Promise<LambdaFunctionURLResult | object> {
  return async (event) => {
    const a = await app();
    if ('detail' in event && event.source === 'aws.s3') {
      const { name } = event.detail.bucket;
      const key = decodeURIComponent(event.detail.object.key.replace(/\+/g, ' '));
      const markdown = await readObject(s3ClientFor(a.clients), name, key);
      const post = parseMarkdownPost(markdown, { path: key, siteUrl: a.config.site.url });
      const result = await a.publish(post);
      logger.info('post published', {
        event: 'publish.done',
        source: 's3',
        postId: post.id,
        lists: summary(result.lists),
      });
      return { postId: post.id, lists: summary(result.lists) };
    }
    const url = event as LambdaFunctionURLEvent;
    try {
      if (url.requestContext?.http?.method !== 'POST')
        throw new InvalidInputError('METHOD', 'POST the Markdown of a post');
      const body = url.isBase64Encoded
        ? Buffer.from(url.body ?? '', 'base64').toString('utf8')
        : (url.body ?? '');
      const q = url.queryStringParameters ?? {};
      const post = parseMarkdownPost(body, { path: `${q.slug ?? 'post'}.md`, siteUrl: a.config.site.url });
      const result = await a.publish(post, {
        ...(q.list ? { list: q.list } : {}),
        resend: q.resend === 'true',
      });
      logger.info('post published', {
        event: 'publish.done',
        source: 'url',
        postId: post.id,
        lists: summary(result.lists),
      });
      return json(200, { postId: post.id, version: result.version, lists: summary(result.lists) });
    } catch (error) {
      if (error instanceof TidingsError) return json(400, { error: error.code, message: error.message });
      throw error;
    }
  };
}

function summary(lists: Awaited<ReturnType<App['publish']>>['lists']) {
  return lists.map((l) => ({
    listId: l.listId,
    action: l.action,
    ...('editionId' in l ? { editionId: l.editionId } : {}),
    ...('reason' in l ? { reason: l.reason } : {}),
    ...('plan' in l && l.plan ? { enqueued: l.plan.enqueued } : {}),
  }));
}

async function readObject(s3: S3Client, bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await out.Body?.transformToString('utf8')) ?? '';
}

function json(statusCode: number, body: unknown): LambdaFunctionURLResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export const handler = makePublishHandler(
  () =>
    lambdaApp({
      render: (config) =>
        makeRenderFn({
          config,
          templates: () => loadTemplates(process.env.TIDINGS_TEMPLATES_DIR),
          clock: systemClock,
        }),
    }),
  lambdaObservability(),
);
