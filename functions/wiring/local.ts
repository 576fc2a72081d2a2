// The composition root of the processes that run on one machine (`tidings dev`, the demo, the CLI
// against a dev stack, the integration tests): the AWS adapter set against the embedded emulators, with
// the Send events SES would publish delivered from the emulator's store before each reconciliation.
import { type AwsClients, EMULATOR_CREDENTIALS, makeClients } from '../adapters/aws/clients.ts';
import { fetchDocument } from '../adapters/web/feed-fetch.ts';
import type { Config } from '../core/config/schema.ts';
import { createRouteTable } from '../http/routes.ts';
import { deliverLocalSendEvents } from '../local/send-events.ts';
import { DEFAULT_RECONCILE_WINDOW_MS } from '../use-cases/reconcile-claims.ts';
import { type Adapters, type Decorate, decorated } from './adapters.ts';
import { type App, type AppOptions, buildApp } from './app.ts';
import { awsAdapters } from './aws.ts';
import { LAZY_USE_CASES } from './lazy-use-cases.ts';

export const LOCAL_REGION = 'us-east-1';

/** Where a local stack listens: the emulators' endpoints, its table and send queue, the SES store. */
export interface LocalTarget {
  readonly endpoints: { readonly dynamodb: string; readonly sqs: string; readonly ses: string };
  readonly tableName: string;
  readonly sendQueueUrl: string;
  readonly sesStoreUrl: string;
}

/** An app on the local stack, with the adapter set it runs on (tests seed and inspect through it). */
export interface LocalApp {
  readonly app: App;
  readonly adapters: Adapters;
}

/**
 * The config of a process on a local stack whose pages `tidings dev` serves at `httpUrl`: every link of
 * the emails sent there (confirm, unsubscribe, preferences, View in browser) points at those pages, not at
 * the production `publicUrl`, so that they can be followed on this machine.
 */
export function withLocalPages(config: Config, httpUrl: string | undefined): Config {
  return httpUrl ? { ...config, publicUrl: httpUrl } : config;
}

/** SDK clients for the emulators of a local stack (emulator credentials, no AWS account). */
export function localClients(target: Pick<LocalTarget, 'endpoints'>): AwsClients {
  return makeClients({
    region: LOCAL_REGION,
    endpoints: target.endpoints,
    credentials: EMULATOR_CREDENTIALS,
  });
}

/**
 * Builds the application against a local stack. `clients`: reuse these (the caller closes them);
 * otherwise the app opens its own and closes them in `destroy()`.
 */
export function localApp(
  target: LocalTarget,
  options: AppOptions & { readonly clients?: AwsClients; readonly decorate?: Decorate },
): LocalApp {
  const { clients, decorate, ...appOptions } = options;
  const adapters = decorated(
    awsAdapters({
      tableName: target.tableName,
      sendQueueUrl: target.sendQueueUrl,
      ...(clients
        ? { clients }
        : { aws: { region: LOCAL_REGION, endpoints: target.endpoints, credentials: EMULATOR_CREDENTIALS } }),
    }),
    decorate,
  );
  const app = buildApp(adapters, {
    fetchFeed: (url, validators) => fetchDocument(url, validators),
    // Loaded on first use, so that a CLI command that reaches the dev stack loads only its own.
    useCases: { ...LAZY_USE_CASES, createRouteTable },
    ...appOptions,
  });
  return {
    adapters,
    app: {
      ...app,
      // Local reconciliation: the Send events first (the emulator's record of what it accepted, which SES
      // would have published through EventBridge), then the ledger.
      async reconcile(editionId, opts = {}) {
        const windowMs = opts.windowMs ?? DEFAULT_RECONCILE_WINDOW_MS;
        const now = (appOptions.clock ?? { now: () => new Date() }).now();
        const olderThan = new Date(now.getTime() - windowMs).toISOString();
        await deliverLocalSendEvents({
          sesStoreUrl: target.sesStoreUrl,
          ledger: adapters.ledger,
          editionId,
          olderThan,
        });
        return app.reconcile(editionId, { ...opts, windowMs });
      },
    },
  };
}
