import type { RecordedCall } from './recording-proxy.ts';
import type { DeployedFunction } from './template.ts';

/**
 * The calls the Lambda service makes with a function's role, on its behalf: they are in no bundle, so the
 * recording proxy never sees them, yet the role must allow them (and they are what some grants are for).
 * Each is derived from the template, for the trigger that needs it:
 * - every function: its output goes to its own log group (CreateLogStream, PutLogEvents);
 * - an SQS event source mapping polls its queue and deletes what the function handled (ReceiveMessage,
 *   DeleteMessage, GetQueueAttributes: the AWSLambdaSQSQueueExecutionRole actions);
 * - active X-Ray tracing sends trace segments.
 */
export function serviceCalls(fn: DeployedFunction): RecordedCall[] {
  const byService = (action: string, resource: string): RecordedCall => ({
    caller: `lambda service for ${fn.name}`,
    operation: action.split(':')[1] ?? action,
    action,
    resource,
    context: {},
  });
  const stream = `${fn.logGroupArn.replace(/:\*$/, '')}:log-stream:2026/12/05/[$LATEST]0123456789abcdef`;
  return [
    byService('logs:CreateLogStream', stream),
    byService('logs:PutLogEvents', stream),
    ...fn.eventSourceQueues.flatMap((queue) =>
      ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'].map((a) => byService(a, queue)),
    ),
    ...(fn.tracing
      ? [byService('xray:PutTraceSegments', '*'), byService('xray:PutTelemetryRecords', '*')]
      : []),
  ];
}

/**
 * Grants a function keeps for a path of its code that the rehearsal does not take, by function and
 * action, each with the path. The rehearsal fails when such a grant goes unused and is not listed here,
 * and when a listed one is no longer granted or becomes used (then the entry goes).
 */
export const grantsForUnrehearsedPaths: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'poll-feeds': {
    'scheduler:UpdateSchedule on schedule/Tidingsstateless-SendTimers-Group-09815C26/*':
      'a poll retried after it set a wave’s schedule finds it there (ConflictException) and replaces it ' +
      '(adapters/aws/scheduler-send-timer.ts); the publish function takes that path in the rehearsal',
  },
};
