import type { Context, LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { InvalidInputError, NotFoundError, TidingsError } from '../core/errors.ts';
import { toHttpRequest } from '../http/lambda-event.ts';
import type { App } from '../wiring/app.ts';
import { publishLambdaApp } from '../wiring/lambda-publishing.ts';
import { lambdaObservability, type Observability } from './observability.ts';
import { eventObjectKey } from './s3-event.ts';

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
  app: () => Promise<Pick<App, 'publishMarkdown' | 'publishObject'>>,
  { logger }: Observability,
): (
  event: S3ObjectCreated | LambdaFunctionURLEvent,
  context?: Context,
) => Promise<LambdaFunctionURLResult | object> {
  return async (event) => {
    const a = await app();
    if ('detail' in event && event.source === 'aws.s3') {
      const key = eventObjectKey(event.detail.object.key);
      const { postId, lists, scheduled } = await a.publishObject(event.detail.bucket.name, key);
      // A post with `sendAt` waits: say so, rather than "published" with no list.
      if (scheduled) {
        logger.info('post scheduled', { event: 'publish.scheduled', source: 's3', postId, scheduled });
        return { postId, scheduled };
      }
      logger.info('post published', { event: 'publish.done', source: 's3', postId, lists });
      return { postId, lists };
    }
    const req = toHttpRequest(event as LambdaFunctionURLEvent);
    try {
      if (req.method !== 'POST')
        throw new InvalidInputError('METHOD_NOT_ALLOWED', 'POST the Markdown of a post');
      const list = req.query.get('list');
      const options = { ...(list ? { list } : {}), resend: req.query.get('resend') === 'true' };
      const path = `${req.query.get('slug') ?? 'post'}.md`;
      const published = await a.publishMarkdown({ markdown: req.body, path, options });
      logger.info('post published', { event: 'publish.done', source: 'url', ...published });
      return json(200, published);
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

function json(statusCode: number, body: unknown): LambdaFunctionURLResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export const handler = makePublishHandler(publishLambdaApp, lambdaObservability());
