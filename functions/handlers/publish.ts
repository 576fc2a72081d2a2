import type { Context, LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { lambdaPlanTrigger } from '../adapters/aws/lambda-plan-trigger.ts';
import { readObjectText } from '../adapters/aws/s3-client.ts';
import { InvalidInputError, NotFoundError, TidingsError } from '../core/errors.ts';
import { parseMarkdownPost } from '../core/posts/markdown.ts';
import { type App, lambdaApp } from '../wiring.ts';
import { bundledRender } from './bundled-render.ts';
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
 * Publishing records the edition and hands it to the plan function (an async invoke), which renders it
 * once and fans it out; without a deployed plan function it plans in this process.
 */
export function makePublishHandler(
  app: () => Promise<Pick<App, 'publish' | 'config' | 'clients'>>,
  { logger }: Observability,
): (
  event: S3ObjectCreated | LambdaFunctionURLEvent,
  context?: Context,
) => Promise<LambdaFunctionURLResult | object> {
  // Both triggers end here: parse the Markdown, publish it, log what each list got.
  const publish = async (
    a: Pick<App, 'publish' | 'config'>,
    markdown: string,
    path: string,
    source: 's3' | 'url',
    options: Parameters<App['publish']>[1] = {},
  ) => {
    const post = parseMarkdownPost(markdown, { path, siteUrl: a.config.site.url });
    const result = await a.publish(post, options);
    const lists = summary(result.lists);
    logger.info('post published', { event: 'publish.done', source, postId: post.id, lists });
    return { postId: post.id, version: result.version, lists };
  };
  return async (event) => {
    const a = await app();
    if ('detail' in event && event.source === 'aws.s3') {
      const { name } = event.detail.bucket;
      const key = decodeURIComponent(event.detail.object.key.replace(/\+/g, ' '));
      const { postId, lists } = await publish(a, await readObjectText(a.clients, name, key), key, 's3');
      return { postId, lists };
    }
    const url = event as LambdaFunctionURLEvent;
    try {
      if (url.requestContext?.http?.method !== 'POST')
        throw new InvalidInputError('METHOD', 'POST the Markdown of a post');
      const body = url.isBase64Encoded
        ? Buffer.from(url.body ?? '', 'base64').toString('utf8')
        : (url.body ?? '');
      const q = url.queryStringParameters ?? {};
      const options = { ...(q.list ? { list: q.list } : {}), resend: q.resend === 'true' };
      return json(200, await publish(a, body, `${q.slug ?? 'post'}.md`, 'url', options));
    } catch (error) {
      // The request's fault (the Markdown, the list): 400, fix and send again. Ours (the plan function not
      // started, the table unreachable): 503, the same request can simply be sent again.
      if (error instanceof InvalidInputError || error instanceof NotFoundError)
        return json(400, { error: error.code, message: error.message });
      if (error instanceof TidingsError) return json(503, { error: error.code, message: error.message });
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

function json(statusCode: number, body: unknown): LambdaFunctionURLResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export const handler = makePublishHandler(
  () =>
    lambdaApp({
      handOffPlanning: lambdaPlanTrigger,
      render: bundledRender,
    }),
  lambdaObservability(),
);
