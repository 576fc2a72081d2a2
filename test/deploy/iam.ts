import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { RecordedCall } from './recording-proxy.ts';
import { ACCOUNT } from './template.ts';

// biome-ignore lint/suspicious/noExplicitAny: IAM policy JSON.
type Statement = any;

/** The decision of a real IAM policy simulator on one call made with a role's identity policy. */
export async function decide(
  statements: readonly Statement[],
  call: Pick<RecordedCall, 'action' | 'resource' | 'context'>,
): Promise<string> {
  const response = await runSimulation(
    {
      identityPolicies: [{ name: 'role', policy: { Version: '2012-10-17', Statement: [...statements] } }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action: call.action,
        principal: `arn:aws:iam::${ACCOUNT}:role/rehearsal`,
        resource: { accountId: ACCOUNT, resource: call.resource },
        contextVariables: { ...call.context },
      },
    } as Parameters<typeof runSimulation>[0],
    {},
  );
  if (response.resultType === 'error') return `error: ${JSON.stringify(response.errors)}`;
  return response.overallResult;
}

/** Every call of `calls` that the statements do not allow, with the simulator's decision. */
export async function deniedCalls(
  statements: readonly Statement[],
  calls: readonly RecordedCall[],
): Promise<string[]> {
  const denied: string[] = [];
  for (const call of calls) {
    const decision = await decide(statements, call);
    if (decision !== 'Allowed')
      denied.push(`${call.action} on ${call.resource} ${JSON.stringify(call.context)}: ${decision}`);
  }
  return denied;
}

/**
 * Every action of every Allow statement, on each of its resources, that no call used: for each pair, no
 * recorded call is allowed by that statement narrowed to that action and that resource. Each is named
 * `<action> on <resource>`, the resource without its `arn:aws:<service>:<region>:<account>:` prefix.
 */
export async function unusedGrants(
  statements: readonly Statement[],
  calls: readonly RecordedCall[],
): Promise<string[]> {
  const unused: string[] = [];
  const list = (v: unknown): string[] => (Array.isArray(v) ? v : [v as string]);
  for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
    for (const action of list(statement.Action)) {
      for (const resource of list(statement.Resource)) {
        let used = false;
        for (const call of calls.filter((c) => c.action === action)) {
          if ((await decide([{ ...statement, Action: action, Resource: resource }], call)) === 'Allowed') {
            used = true;
            break;
          }
        }
        if (!used) unused.push(`${action} on ${shortArn(resource)}`);
      }
    }
  }
  return unused;
}

/** `arn:aws:dynamodb:eu-west-1:123456789012:table/t` → `table/t`; `arn:aws:s3:::b/k` → `b/k`. */
export function shortArn(arn: string): string {
  return arn.replace(/^arn:aws:[a-z0-9-]+:[a-z0-9-]*:\d*:/, '');
}
