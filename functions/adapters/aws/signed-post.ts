// One SigV4-signed POST on a kept-alive socket: what the lean clients share (the SES transport, the
// ledger's DynamoDB writes, the Lambda event invoke). Each keeps the SDK's signer (@smithy/signature-v4) and
// credential provider, and adds only its protocol: the body, its headers, and how it reads the reply.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from './node-sha256.ts';

/** AWS credentials, as the SDK's providers return them. */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SignedPostOptions {
  /** The signing name: `ses`, `dynamodb`, `lambda`. */
  readonly service: string;
  readonly region: string;
  /** Where every POST goes. */
  readonly url: URL;
  /** The SDK's credential provider (cached and refreshed by the SDK), or fixed emulator credentials. */
  readonly credentials: SigningCredentials | (() => Promise<SigningCredentials>);
  /** Sockets kept alive. @default 64 */
  readonly maxSockets?: number;
  /** Milliseconds a call may go without an answer. @default 30000 */
  readonly timeoutMs?: number;
}

export interface Reply {
  readonly status: number;
  readonly body: string;
}

/**
 * An error on a reused socket before any byte of a response (ECONNRESET, EPIPE, socket hang up): a socket
 * the server had closed while idle, so the request never reached the service.
 */
export type StaleSocketError = Error & { readonly staleSocket?: boolean };

/** How long a kept-alive socket may stay idle: below every server's keep-alive timeout (SES ~20 s, Node 5 s). */
const IDLE_SOCKET_MS = 4_000;

export class SignedPost {
  readonly url: URL;
  readonly timeoutMs: number;
  readonly #signer: SignatureV4;
  readonly #agent: HttpAgent | HttpsAgent;
  readonly #request: typeof httpRequest;

  constructor(options: SignedPostOptions) {
    this.url = options.url;
    const fixed = options.credentials;
    this.#signer = new SignatureV4({
      service: options.service,
      region: options.region,
      credentials: typeof fixed === 'function' ? fixed : async () => fixed,
      sha256: Sha256,
      applyChecksum: false,
    });
    const secure = this.url.protocol === 'https:';
    // Idle sockets are closed before the servers close them: a socket the server closes while idle is the
    // one a request can die on before any response.
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64, timeout: IDLE_SOCKET_MS };
    this.#agent = secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.#request = secure ? (httpsRequest as typeof httpRequest) : httpRequest;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /**
   * Signs and sends `body` with `headers` (host and content-length are added), and resolves to the reply,
   * whatever its status. No answer within the timeout rejects with "`what` did not answer within N ms"; an
   * error on a reused socket before any response rejects as a StaleSocketError.
   */
  async post(headers: Record<string, string>, body: Buffer, what: string): Promise<Reply> {
    const url = this.url;
    const signed = await this.#signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: {},
      headers: { host: url.host, 'content-length': String(body.length), ...headers },
      body,
    });
    return new Promise<Reply>((resolve, reject) => {
      let responded = false;
      const req = this.#request(
        {
          method: 'POST',
          host: url.hostname,
          port: url.port || (url.protocol === 'https:' ? 443 : 80),
          path: url.pathname,
          headers: signed.headers,
          agent: this.#agent,
          timeout: this.timeoutMs,
        },
        (res) => {
          responded = true;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${what} did not answer within ${this.timeoutMs} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) => {
        const stale =
          !responded &&
          req.reusedSocket &&
          (error.code === 'ECONNRESET' || error.code === 'EPIPE' || error.message === 'socket hang up');
        reject(stale ? Object.assign(error, { staleSocket: true }) : error);
      });
      req.end(body);
    });
  }

  /** Closes the kept-alive sockets. */
  destroy(): void {
    this.#agent.destroy();
  }
}
