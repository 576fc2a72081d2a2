// What the send function writes to CloudWatch about a batch: the log lines and the EMF metrics the alarms
// read (EditionPaused raises the sender-refused alarm). Read from what Powertools prints on stdout.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaObservability } from '../../../functions/handlers/observability.ts';
import { reportBatch } from '../../../functions/handlers/send-report.ts';
import type { SendBatchResult } from '../../../functions/use-cases/send-batch.ts';

const message = {
  editionId: 'podcast-instant-e1',
  listId: 'podcast',
  batchNo: 3,
  recipients: [{ subscriberId: 's_1', email: 'ada@example.org' }],
};
const result = (over: Partial<SendBatchResult> = {}): SendBatchResult => ({
  editionId: message.editionId,
  sent: 47,
  failed: 1,
  skipped: 2,
  duplicates: 0,
  returned: 0,
  throttled: 0,
  paused: false,
  outOfTime: false,
  ...over,
});

/** Every JSON line Powertools printed while `run` ran, flushing the metrics at the end. */
function printed(run: (o: ReturnType<typeof lambdaObservability>) => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  const observability = lambdaObservability();
  run(observability);
  observability.metrics?.publishStoredMetrics();
  vi.restoreAllMocks();
  return lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The EMF documents' metric values by name, with their dimensions. */
function metricsIn(lines: Record<string, unknown>[]): Record<string, unknown>[] {
  return lines
    .filter((l) => '_aws' in l)
    .map((l) => {
      const { _aws, ...values } = l as { _aws: unknown } & Record<string, unknown>;
      return values;
    });
}

afterEach(() => vi.restoreAllMocks());

describe('the send function reports a batch', () => {
  it('logs the counts, and puts Sent and Failed per list', () => {
    // Act
    const lines = printed((o) => reportBatch(o, message, result()));
    // Assess
    expect(lines.find((l) => l.message === 'batch sent')).toMatchObject({
      event: 'send.batch',
      batchNo: 3,
      sent: 47,
      failed: 1,
      skipped: 2,
    });
    expect(lines.some((l) => l.event === 'edition.paused')).toBe(false);
    const metrics = metricsIn(lines);
    expect(metrics).toContainEqual(expect.objectContaining({ list: 'podcast', Sent: 47 }));
    expect(metrics).toContainEqual(expect.objectContaining({ list: 'podcast', Failed: 1 }));
    expect(metrics.some((m) => 'EditionPaused' in m || 'Throttled' in m)).toBe(false);
  });

  it('when SES refused the sender in this batch: an error naming the resume command, and EditionPaused', () => {
    // Act
    const lines = printed((o) =>
      reportBatch(o, message, result({ sent: 0, failed: 0, editionPaused: 'sender-refused', throttled: 2 })),
    );
    // Assess
    expect(lines.find((l) => l.event === 'edition.paused')).toMatchObject({
      level: 'ERROR',
      editionId: 'podcast-instant-e1',
      reason: 'sender-refused',
      resume: 'tidings editions resume podcast-instant-e1',
    });
    const metrics = metricsIn(lines);
    expect(metrics).toContainEqual(expect.objectContaining({ list: 'podcast', EditionPaused: 1 }));
    expect(metrics).toContainEqual(expect.objectContaining({ Throttled: 2 }));
  });

  it('says nothing of a pause for a batch of an edition that was already paused', () => {
    const lines = printed((o) =>
      reportBatch(o, message, result({ sent: 0, paused: true, editionPaused: 'sender-refused' })),
    );
    expect(lines.some((l) => l.event === 'edition.paused')).toBe(false);
    expect(metricsIn(lines).some((m) => 'EditionPaused' in m)).toBe(false);
  });
});
