// A lean asynchronous Lambda invoke (`X-Amz-Invocation-Type: Event`): one SigV4-signed POST on a keep-alive
// socket. The http function uses it to hand the address-dependent half of /subscribe and /resend to another
// invocation of itself, so that its answer takes the same time for every address (issue 13 §5).
//
// Why not @aws-sdk/client-lambda: it would add the SDK's Lambda client to the http bundle (budget ≤ 600 KB,
// issue 12) for one call whose request is a POST of a JSON body; @smithy/signature-v4 (already in the
// bundle for the SES transport) signs it.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import { TidingsError } from '../../core/errors.ts';
import { Sha256 } from './node-sha256.ts';

/** AWS credentials, as the SDK's providers return them. */
export interface InvokeCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

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
  readonly #url: URL;
  readonly #signer: SignatureV4;
  readonly #agent: HttpAgent;
  readonly #request: typeof httpRequest;
  readonly #timeoutMs: number;
  readonly #functionName: string;

  constructor(options: LambdaEventInvokerOptions) {
    this.#functionName = options.functionName;
    const base = new URL(options.endpoint ?? `https://lambda.${options.region}.amazonaws.com`);
    this.#url = new URL(
      `/2015-03-31/functions/${encodeURIComponent(options.functionName)}/invocations`,
      base,
    );
    const fixed = options.credentials;
    this.#signer = new SignatureV4({
      service: 'lambda',
      region: options.region,
      credentials: typeof fixed === 'function' ? fixed : async () => fixed,
      sha256: Sha256,
      applyChecksum: false,
    });
    const secure = this.#url.protocol === 'https:';
    // Idle sockets are closed before the server closes them (a request could die on one).
    const agentOptions = { keepAlive: true, maxSockets: 8, timeout: 4_000 };
    this.#agent = secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.#request = secure ? (httpsRequest as typeof httpRequest) : httpRequest;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
  }

  async invoke(event: unknown): Promise<void> {
    const url = this.#url;
    const body = Buffer.from(JSON.stringify(event), 'utf8');
    const signed = await this.#signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: {},
      headers: {
        host: url.host,
        'content-type': 'application/json',
        'content-length': String(body.length),
        'x-amz-invocation-type': 'Event',
      },
      body,
    });
    const status = await new Promise<number>((resolve, reject) => {
      const req = this.#request(
        {
          method: 'POST',
          host: url.hostname,
          port: url.port || (url.protocol === 'https:' ? 443 : 80),
          path: url.pathname,
          headers: signed.headers,
          agent: this.#agent,
          timeout: this.#timeoutMs,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.#timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    }).catch((error: unknown) => {
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
    this.#agent.destroy();
  }
}
