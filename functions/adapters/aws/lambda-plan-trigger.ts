import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { TidingsError } from '../../core/errors.ts';
import type { WaveRelease } from '../../core/schedule/model.ts';
import type { PlanTrigger } from '../../ports/plan-trigger.ts';

/**
 * Starts the plan function with an asynchronous invoke (`InvocationType: Event`) of `{ editionId }`
 * (or `{ editionId, wave }`: release that time-zone wave's readers).
 * Lambda queues the event and retries a failed or timed-out plan twice; each run resumes at the
 * edition's checkpoint. A refused invoke throws, so the publish that asked for it fails and its own
 * trigger (the S3 event, the feed poll) tries again.
 */
export class LambdaPlanTrigger implements PlanTrigger {
  readonly #client: LambdaClient;
  readonly #functionName: string;

  constructor(options: { readonly client: LambdaClient; readonly functionName: string }) {
    this.#client = options.client;
    this.#functionName = options.functionName;
  }

  async start(editionId: string, options: { readonly wave?: WaveRelease } = {}): Promise<void> {
    let status: number | undefined;
    try {
      ({ StatusCode: status } = await this.#client.send(
        new InvokeCommand({
          FunctionName: this.#functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(
            JSON.stringify({ editionId, ...(options.wave ? { wave: options.wave } : {}) }),
          ),
        }),
      ));
    } catch (error) {
      throw new TidingsError(
        'PLAN_HANDOFF_FAILED',
        `edition ${editionId}: the plan function ${this.#functionName} was not started: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
    // An accepted asynchronous invoke answers 202.
    if (status !== 202) {
      throw new TidingsError(
        'PLAN_HANDOFF_FAILED',
        `edition ${editionId}: the plan function ${this.#functionName} answered ${String(status)}, not 202`,
      );
    }
  }
}

/**
 * The trigger of a deployed plan function, for lambdaApp's `handOffPlanning`. Only the functions that
 * publish import this module, so only their bundles carry the Lambda client.
 */
export function lambdaPlanTrigger(functionName: string, region: string): PlanTrigger {
  return new LambdaPlanTrigger({ client: new LambdaClient({ region }), functionName });
}
