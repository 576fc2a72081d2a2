// A lean asynchronous Lambda invoke (`X-Amz-Invocation-Type: Event`): one SigV4-signed POST on a keep-alive
// socket. The http function uses it to hand the address-dependent half of /subscribe and /resend to another
// invocation of itself, so that its answer takes the same time for every address (issue 13 §5).
//
// Why not @aws-sdk/client-lambda: it would add the SDK's Lambda client to the http bundle (budget ≤ 600 KB,
// issue 12) for one call whose request is a POST of a JSON body; @smithy/signature-v4 (already in the
// bundle for the SES transport) signs it.
import { TidingsError } from '../../core/errors.ts';
import { SignedPost, type SigningCredentials } from './signed-post.ts';

/** AWS credentials, as the SDK's providers return them. */
export type InvokeCredentials = SigningCredentials;

export interface LambdaEventInvokerOptions {
  readonly region: string;
  /** The function to invoke (name or ARN). */
  readonly functionName: string;
  /** The Lambda endpoint; default `https://lambda.<region>.amazonaws.com`. */
  readonly endpoint?: string;
  readonly credentials: InvokeCredentials | (() => Promise<InvokeCredentials>);
  /** Milliseconds before the invoke is abandoned. @default 5000 */
  readonly timeoutMs?: number;
}

/**
 * Queues an event for a function with Lambda's asynchronous invoke: resolves once Lambda has accepted it
 * (202), before the function runs. Anything else throws a TidingsError naming the status.
 */
export class LambdaEventInvoker {
  readonly #post: SignedPost;
  readonly #functionName: string;

  constructor(options: LambdaEventInvokerOptions) {
    this.#functionName = options.functionName;
    const base = new URL(options.endpoint ?? `https://lambda.${options.region}.amazonaws.com`);
    this.#post = new SignedPost({
      service: 'lambda',
      region: options.region,
      url: new URL(`/2015-03-31/functions/${encodeURIComponent(options.functionName)}/invocations`, base),
      credentials: options.credentials,
      maxSockets: 8,
      timeoutMs: options.timeoutMs ?? 5_000,
    });
  }

  async invoke(event: unknown): Promise<void> {
    const body = Buffer.from(JSON.stringify(event), 'utf8');
    const headers = { 'content-type': 'application/json', 'x-amz-invocation-type': 'Event' };
    const { status } = await this.#post.post(headers, body, 'Lambda').catch((error: unknown) => {
      throw new TidingsError(
        'JOURNEY_HANDOFF_FAILED',
        `the asynchronous invoke of ${this.#functionName} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    if (status !== 202) {
      throw new TidingsError(
        'JOURNEY_HANDOFF_FAILED',
        `the asynchronous invoke of ${this.#functionName} answered ${status}, not 202`,
      );
    }
  }

  destroy(): void {
    this.#post.destroy();
  }
}
