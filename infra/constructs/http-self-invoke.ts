import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { LambdaEnv } from '../../functions/adapters/aws/lambda-env.ts';
import type { TidingsFunction } from './tidings-function.ts';

/**
 * /subscribe and /resend answer after the same work for every address, then hand the rest (who the
 * address is, writes, mail) to an asynchronous invoke of the http function itself (issue 13 §5: timing
 * must not tell a subscribed address from an unknown one). The grant is `lambda:InvokeFunction` on this
 * one function's ARN, in a policy of its own: in the role's default policy it would make the function
 * depend on its own ARN (a cycle). No retry: the task logs its own failures, and a retried sign-up would
 * mail a second confirmation.
 */
export function grantJourneySelfInvoke(scope: Construct, http: TidingsFunction): void {
  const policy = new iam.Policy(scope, 'HttpSelfInvoke', {
    statements: [
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [http.functionArn] }),
    ],
  });
  http.role.attachInlinePolicy(policy);
  http.addEnvironment(LambdaEnv.JourneySelfInvoke, '1');
  http.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(15) });
}
