import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { load } from 'cheerio';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoSubscriberStore } from '../../functions/adapters/aws/dynamo-subscriber-store.ts';
import { ORIGIN_SECRET_HEADER } from '../../functions/adapters/aws/lambda-env.ts';
import { readSesStore, type SentMessage } from '../../functions/local/emulators.ts';
import { HANDLER_NAMES } from '../../infra/handlers.ts';
import { aSubscriber } from '../helpers/factories.ts';
import type { Invocation } from './bundle-runner.ts';
import { deniedCalls, unusedGrants } from './iam.ts';
import { BUCKET_NAME, TABLE_NAME, useRehearsal } from './rehearsal-env.ts';
import { grantsForUnrehearsedPaths, serviceCalls } from './service-calls.ts';
import {
  functionUrlEvent,
  s3ObjectCreated,
  schedulerInput,
  sesEvent,
  sqsEvent,
  type ViaCloudFront,
} from './trigger-events.ts';

// The deployed artifacts, rehearsed offline: each function's bundle from cdk.out, run in plain node with
// the template's environment, invoked with its trigger's real event, its AWS calls recorded and checked
// against its synthesized role policy by an IAM policy simulator. The checks at the end iterate over every
// function the template holds, so a function added later is checked without a change here.

const rehearsal = useRehearsal();
/** When the scheduled post is due: set when it is uploaded, a few seconds before the reconcile run. */
let sendLaterAt = 0;
/** What the scheduled post's one-time schedule hands the reconcile function at its time. */
let laterSchedule: unknown;
const invoked = new Map<string, Invocation[]>();
const READER = 'reader@example.net';
/** Imported by the operator: an instant reader who will mark the edition as spam, and a daily one. */
const COMPLAINER = 'complainer@example.net';
const DAILY = 'daily@example.net';
/** Instant readers whose sends fail: SES throttles one for good, and one send's outcome is lost. */
const THROTTLED = 'throttled@example.net';
const LOST = 'lost@example.net';
const TOKYO = 'tokyo@example.net';
let firstEdition = '';
const VIEWER_IP = '198.51.100.77';

type Answer = { statusCode: number; body: string; headers?: Record<string, string> };

async function invoke(name: string, events: readonly unknown[]): Promise<Invocation> {
  const r = rehearsal();
  r.proxy.caller = name;
  const fn = r.template.functionOf(name);
  const handedOff = r.proxy.invocations.length;
  const run = await r.sandbox.invoke(fn, events, r.proxy.endpointEnv);
  invoked.set(name, [...(invoked.get(name) ?? []), run]);
  // The http function hands the second half of /subscribe and /resend to an asynchronous invoke of
  // itself: Lambda runs it, with the same bundle and role, after the answer.
  const own = r.proxy.invocations
    .slice(handedOff)
    .filter((i) => i.functionName === `Tidings-stateless-${fn.logicalId}`);
  if (own.length > 0) {
    r.proxy.invocations.splice(handedOff);
    const tasks = await invoke(
      name,
      own.map((i) => i.payload),
    );
    values(tasks);
  }
  return run;
}

function values(run: Invocation): unknown[] {
  return run.results.map((result) => {
    if (!result.ok) throw new Error(`${result.error}\n${run.stdout}`);
    return result.value;
  });
}

const statuses = (run: Invocation) => values(run).map((v) => (v as Answer).statusCode);

const page = (method: string, target: string, via: Partial<ViaCloudFront> = {}) =>
  functionUrlEvent(method, target, {
    originSecret: { header: ORIGIN_SECRET_HEADER, value: rehearsal().originSecret },
    viewerIp: VIEWER_IP,
    accept: 'text/html,application/xhtml+xml',
    ...via,
  });

async function mailTo(address: string): Promise<SentMessage[]> {
  return (await readSesStore(rehearsal().emulators.sesStoreUrl)).filter((m) =>
    m.destinations.includes(address),
  );
}

async function editionMail(address = READER): Promise<SentMessage> {
  const edition = (await mailTo(address)).find((m) => m.subject.includes('First episode'));
  if (!edition) throw new Error(`the edition never reached ${address}`);
  return edition;
}

/** The first link of an email's html to `path`, as the path and query CloudFront forwards. */
function link(html: string | undefined, path: string): string {
  const $ = load(html ?? '');
  const found = $('a[href]')
    .map((_, a) => $(a).attr('href'))
    .get()
    .find((href) => href.startsWith('https://') && new URL(href).pathname === path);
  if (!found) throw new Error(`no ${path} link in the email`);
  const url = new URL(found);
  return `${url.pathname}${url.search}`;
}

/** The action of the page's one POST form (the confirm button). */
function formAction(html: string | undefined): string {
  const action = load(html ?? '')('form[method=post]').attr('action');
  if (!action) throw new Error('no POST form on the page');
  return action;
}

describe('the deployed functions, rehearsed from cdk.out', () => {
  beforeAll(async () => {
    const r = rehearsal();
    const store = new DynamoSubscriberStore({ doc: r.clients.doc, tableName: TABLE_NAME });
    await store.put(aSubscriber({ id: 's_complainer', email: COMPLAINER }));
    const daily = aSubscriber({ id: 's_daily', email: DAILY });
    const podcast = daily.lists.podcast;
    if (!podcast) throw new Error('aSubscriber: no podcast membership');
    await store.put({ ...daily, lists: { podcast: { ...podcast, cadence: 'daily' } } });
    await store.put(aSubscriber({ id: 's_throttled', email: THROTTLED }));
    await store.put(aSubscriber({ id: 's_lost', email: LOST }));
    // A reader of the essays in Tokyo: the feed's new post reaches them in its own wave, at their 08:00.
    const tokyo = aSubscriber({ id: 's_tokyo', email: TOKYO, timeZone: 'Asia/Tokyo' });
    await store.put({ ...tokyo, lists: { essays: { ...podcast, cadence: 'instant' } } });
  });

  it('deploys every handler, and no function but CDK’s own deploy-time providers besides', () => {
    const { template } = rehearsal();
    expect(template.functions.map((fn) => fn.name)).toEqual(expect.arrayContaining([...HANDLER_NAMES]));
    // The cross-region reader of the us-east-1 certificate's ARN runs at deploy time, by CloudFormation.
    expect(template.otherFunctions.filter((id) => !id.startsWith('CustomCrossRegionExportReader'))).toEqual(
      [],
    );
  });

  it('http: refuses a request that skips CloudFront (no or a wrong origin header) with 403, before any AWS call but the secret', async () => {
    const r = rehearsal();
    const before = r.proxy.calls.length;
    const run = await invoke('http', [
      functionUrlEvent('GET', '/subscribe?list=podcast', { viewerIp: VIEWER_IP }),
      functionUrlEvent('POST', '/subscribe', {
        viewerIp: VIEWER_IP,
        originSecret: { header: ORIGIN_SECRET_HEADER, value: 'guessed' },
        contentType: 'application/x-www-form-urlencoded',
        body: `email=${encodeURIComponent('intruder@example.net')}&list=podcast`,
      }),
    ]);
    expect(statuses(run)).toEqual([403, 403]);
    expect(new Set(r.proxy.calls.slice(before).map((c) => c.action))).toEqual(
      new Set(['secretsmanager:GetSecretValue']),
    );
    expect(await mailTo('intruder@example.net')).toEqual([]);
  });

  it('http: a browser’s form POST through CloudFront subscribes with the viewer’s IP as consent, and the confirm button confirms', async () => {
    const r = rehearsal();
    const run = await invoke('http', [
      page('GET', '/subscribe?list=podcast'),
      page('POST', '/subscribe', {
        contentType: 'application/x-www-form-urlencoded',
        body: `email=${encodeURIComponent(READER)}&list=podcast&name=Reader`,
      }),
    ]);
    expect(statuses(run)).toEqual([200, 200]);
    const store = new DynamoSubscriberStore({ doc: r.clients.doc, tableName: TABLE_NAME });
    expect((await store.getByEmail(READER))?.lists.podcast).toMatchObject({
      status: 'pending',
      consent: { ip: VIEWER_IP },
    });
    const [confirmation] = await mailTo(READER);
    const [opened] = values(
      await invoke('http', [page('GET', link(confirmation?.html, '/confirm'))]),
    ) as Answer[];
    expect(opened?.statusCode).toBe(200);
    // Opening the link changes nothing (link scanners open links too); the button's POST confirms.
    expect((await store.getByEmail(READER))?.lists.podcast?.status).toBe('pending');
    const confirmed = await invoke('http', [
      page('POST', formAction(opened?.body), { contentType: 'application/x-www-form-urlencoded', body: '' }),
    ]);
    expect(statuses(confirmed)).toEqual([200]);
    expect((await store.getByEmail(READER))?.lists.podcast?.status).toBe('subscribed');
  });

  it('publish → plan → send: an upload under posts/ (S3 via EventBridge) reaches the reader through SES', async () => {
    const r = rehearsal();
    const key = 'posts/first-episode.md';
    const markdown = `---\ntitle: First episode\ndate: 2026-12-05T09:00:00Z\nlists: [podcast]\n---\n\nHello, listeners.\n`;
    r.proxy.objects.set(`${BUCKET_NAME}/${key}`, markdown);
    const [published] = values(
      await invoke('publish', [s3ObjectCreated(r.region, BUCKET_NAME, key, markdown.length)]),
    ) as { lists: { editionId: string }[] }[];
    firstEdition = published?.lists[0]?.editionId ?? '';
    // The web archive is refreshed under archive/.
    expect([...r.proxy.objects.keys()]).toContain(`${BUCKET_NAME}/archive/first-episode/index.html`);
    const handoff = r.proxy.invocations.at(-1);
    expect(handoff?.functionName).toBe(
      r.template.functionOf('publish').environment.TIDINGS_PLAN_FUNCTION_NAME,
    );
    values(await invoke('plan', [handoff?.payload]));
    // The event source mapping's part (with the send function's role: see service-calls.ts).
    const received = await r.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: r.sendQueue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(received.Messages?.length).toBeGreaterThan(0);
    r.proxy.sesFaults.set(THROTTLED, 'throttle');
    r.proxy.sesFaults.set(LOST, 'unavailable');
    const sent = values(await invoke('send', [sqsEvent(r.region, r.sendQueue.arn, received.Messages ?? [])]));
    r.proxy.sesFaults.delete(THROTTLED);
    expect(sent).toEqual([{ batchItemFailures: [] }]);
    // The throttled reader goes back on the queue, as a new message from the send function.
    const again = await r.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: r.sendQueue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    const requeued = (again.Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}'));
    expect(JSON.stringify(requeued)).toContain(THROTTLED);
    expect(JSON.stringify(requeued)).not.toContain(READER);
    expect(await mailTo(THROTTLED)).toEqual([]);
    expect(await mailTo(LOST)).toEqual([]);
    const edition = await editionMail();
    expect(edition.configurationSet).toBe(r.config.sending.configurationSet);
    expect(edition.source).toContain(r.config.lists.find((l) => l.id === 'podcast')?.from.address);
  });

  it('publish: a post with sendAt waits, and an edit of it replaces the waiting send', async () => {
    const r = rehearsal();
    const key = 'posts/later.md';
    // Far enough ahead for both uploads on a busy machine; the reconcile run below waits for it.
    sendLaterAt = Date.now() + 20_000;
    const later = (title: string) =>
      `---\ntitle: ${title}\ndate: 2026-12-05T09:00:00Z\nsendAt: ${new Date(sendLaterAt).toISOString()}\nlists: [podcast]\n---\n\nLater.\n`;
    const results: unknown[] = [];
    for (const title of ['Later episode', 'Later episode, edited']) {
      r.proxy.objects.set(`${BUCKET_NAME}/${key}`, later(title));
      results.push(...values(await invoke('publish', [s3ObjectCreated(r.region, BUCKET_NAME, key, 100)])));
    }
    expect(results).toEqual([
      { postId: 'later', scheduled: expect.objectContaining({ outcome: 'created' }) },
      { postId: 'later', scheduled: expect.objectContaining({ outcome: 'replaced' }) },
    ]);
    expect((await mailTo(READER)).some((m) => m.subject.includes('Later episode'))).toBe(false);
    // One one-time schedule, moved by the edit (create, then a 409 and an update), that will invoke the
    // reconcile function with the send's id at its time and delete itself after.
    expect(r.proxy.scheduler.calls.map((c) => c.method)).toEqual(['POST', 'POST', 'PUT']);
    const [schedule] = [...r.proxy.scheduler.schedules.values()] as {
      Target?: { Arn?: string; Input?: string };
    }[];
    expect(r.proxy.scheduler.schedules.size).toBe(1);
    expect(schedule).toMatchObject({
      ScheduleExpression: `at(${new Date(Math.ceil(sendLaterAt / 1000) * 1000).toISOString().slice(0, 19)})`,
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: r.template.functionOf('publish').environment.TIDINGS_SEND_TIMER_TARGET_ARN },
    });
    expect(schedule?.Target?.Arn).toContain(r.template.functionOf('reconcile').logicalId);
    laterSchedule = JSON.parse(schedule?.Target?.Input ?? '{}');
  });

  it('http: a mailbox provider’s RFC 8058 one-click POST through CloudFront unsubscribes, with a plain 200', async () => {
    const r = rehearsal();
    const raw = (await editionMail()).raw?.toString('utf8') ?? '';
    const oneClick = /^List-Unsubscribe: <(https:[^>]+)>/im.exec(raw)?.[1] ?? '';
    expect(new URL(oneClick).host).toBe(new URL(r.config.publicUrl).host);
    const url = new URL(oneClick);
    // What Gmail sends: no cookies, no Accept worth the name, the RFC 8058 body.
    const [answer] = values(
      await invoke('http', [
        page('POST', `${url.pathname}${url.search}`, {
          contentType: 'application/x-www-form-urlencoded',
          accept: '*/*',
          body: 'List-Unsubscribe=One-Click',
        }),
      ]),
    ) as Answer[];
    expect(answer?.statusCode).toBe(200);
    expect(answer?.headers?.location).toBeUndefined();
    const store = new DynamoSubscriberStore({ doc: r.clients.doc, tableName: TABLE_NAME });
    expect((await store.getByEmail(READER))?.lists.podcast?.status).toBe('unsubscribed');
  });

  it('feedback: SES Delivery, Bounce and Complaint events through EventBridge reach the counters, the suppression list and the subscriber', async () => {
    const r = rehearsal();
    const edition = await editionMail();
    const spam = await editionMail(COMPLAINER);
    const summaries = values(
      await invoke('feedback', [
        sesEvent(r.region, edition, 'Delivery'),
        sesEvent(r.region, edition, 'Bounce'),
        sesEvent(r.region, spam, 'Complaint'),
      ]),
    ) as { perList: Record<string, Record<string, number>>; suppressed: { reason: string }[] }[];
    expect(summaries.map((s) => s.perList.podcast)).toEqual([
      expect.objectContaining({ delivered: 1 }),
      expect.objectContaining({ bounced: 1 }),
      expect.objectContaining({ complained: 1 }),
    ]);
    expect(summaries.map((s) => s.suppressed.map((x) => x.reason))).toEqual([
      [],
      ['hard-bounce'],
      ['complaint'],
    ]);
    const store = new DynamoSubscriberStore({ doc: r.clients.doc, tableName: TABLE_NAME });
    expect((await store.getByEmail(COMPLAINER))?.lists.podcast?.status).toBe('unsubscribed');
  });

  it('digest, reconcile and poll-feeds run from their Scheduler inputs as the template holds them; the feed is read from 127.0.0.1', async () => {
    const r = rehearsal();
    const inputsOf = (name: string) => {
      const id = r.template.functionOf(name).logicalId;
      return Object.values(r.template.resources)
        .filter(
          (res) =>
            res.Type === 'AWS::Scheduler::Schedule' && res.Properties.Target.Arn['Fn::GetAtt']?.[0] === id,
        )
        .map((res) => schedulerInput(res.Properties.Target.Input, new Date().toISOString()));
    };
    // Two digest schedules per list (daily and weekly), one reconcile schedule, one poll per feed.
    const digests = values(await invoke('digest', inputsOf('digest')));
    expect(digests).toHaveLength(r.config.lists.length * 2);
    // The podcast's daily digest goes to its daily reader, through the send queue.
    expect(digests).toContainEqual(expect.objectContaining({ action: 'planned', enqueued: 1 }));
    // Each planned digest wrote its page to archive/ first: the email's "View in browser" opens it.
    const planned = (digests as { action: string; editionId?: string }[]).filter(
      (d) => d.action === 'planned',
    );
    expect(planned.length).toBeGreaterThan(0);
    for (const d of planned) {
      expect([...r.proxy.objects.keys()]).toContain(
        `${BUCKET_NAME}/archive/digests/${d.editionId}/index.html`,
      );
    }
    // The send whose outcome was lost was claimed 20 minutes ago, as if its sender had died then (the
    // claim's time is moved back on the emulator: the rehearsal cannot wait out the reconcile window).
    const claimedAt = new Date(Date.now() - 20 * 60_000).toISOString();
    await r.clients.doc.send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: { pk: `EDITION#${firstEdition}`, sk: 'DLV#s_lost' },
        UpdateExpression: 'SET claimedAt = :at, gsi2sk = :sk',
        ConditionExpression: '#status = :claimed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':at': claimedAt, ':sk': `${claimedAt}#s_lost`, ':claimed': 'claimed' },
      }),
    );
    // The scheduled post's time comes (at most a few seconds of waiting), and the reconcile run fires it.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, sendLaterAt - Date.now())));
    const handedOff = r.proxy.invocations.length;
    // Its one-time schedule fires, twice (Scheduler delivers at least once): it is published once.
    const woken = values(await invoke('reconcile', [laterSchedule, laterSchedule]));
    expect(woken).toEqual([
      expect.objectContaining({ id: expect.any(String), at: expect.any(String) }),
      expect.objectContaining({ skipped: 'gone' }),
    ]);
    const [pass] = values(await invoke('reconcile', inputsOf('reconcile')));
    // The pass finds nothing left to fire. No SES Send event came for the lost send: it is sent again, once.
    expect(pass).toMatchObject({ scheduledSent: 0, resent: 1 });
    expect((await mailTo(LOST)).map((m) => m.subject)).toEqual([expect.stringContaining('First episode')]);
    expect(r.proxy.invocations.length).toBe(handedOff + 1);
    const handoffs = r.proxy.invocations.length;
    const schedulesBefore = new Set(r.proxy.scheduler.schedules.keys());
    // The first poll takes the feed's items as its baseline, the second finds the new one, and the third
    // finds the feed's server failing (counted towards pausing the feed).
    const polls = values(
      await invoke('poll-feeds', [
        ...inputsOf('poll-feeds'),
        ...inputsOf('poll-feeds'),
        ...inputsOf('poll-feeds'),
      ]),
    );
    expect(polls).toEqual([
      expect.objectContaining({ action: 'baseline', items: 1 }),
      expect.objectContaining({
        action: 'polled',
        changed: [expect.objectContaining({ postId: 'rehearsal-episode-5', change: 'new' })],
      }),
      expect.objectContaining({ action: 'failed', failures: 1 }),
    ]);
    // Its new item is published: the archive has its page, and its edition goes to the plan function.
    expect(
      [...r.proxy.objects.keys()].some(
        (k) => k.startsWith(`${BUCKET_NAME}/archive/`) && k.includes('rehearsal'),
      ),
    ).toBe(true);
    expect(r.proxy.invocations.length).toBeGreaterThan(handoffs);
    // Its list goes out at each reader's 08:00: poll-feeds gave the Tokyo reader's wave its one-time schedule,
    // at 08:00 in Tokyo, and nothing went to them before it.
    const waves = [...r.proxy.scheduler.schedules.entries()].filter(([name]) => !schedulesBefore.has(name));
    expect(waves).toHaveLength(1);
    const [, wave] = waves[0] as [
      string,
      { ScheduleExpression?: string; ScheduleExpressionTimezone?: string },
    ];
    expect(wave.ScheduleExpression).toMatch(/^at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)$/);
    const at = new Date(`${/at\((.*)\)/.exec(wave.ScheduleExpression ?? '')?.[1]}Z`);
    expect(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' }).format(
        at,
      ),
    ).toBe('08:00');
    expect(await mailTo(TOKYO)).toEqual([]);
  });

  it('reaches no network outside 127.0.0.1 from any bundle', () => {
    const outside = [...invoked].flatMap(([name, runs]) =>
      runs.flatMap((run) => run.outside.map((o) => `${name}: ${o}`)),
    );
    expect(outside).toEqual([]);
  });

  it('every AWS call of every function is allowed by its role (its own calls and the Lambda service’s for its trigger)', async () => {
    const r = rehearsal();
    const denied: Record<string, string[]> = {};
    for (const fn of r.template.functions) {
      expect(invoked.get(fn.name)?.length, `${fn.name} was rehearsed`).toBeGreaterThan(0);
      const calls = [...r.proxy.calls.filter((c) => c.caller === fn.name), ...serviceCalls(fn)];
      const refused = await deniedCalls(fn.statements, calls);
      if (refused.length > 0) denied[fn.name] = refused;
    }
    expect(denied).toEqual({});
  });

  it('no role grants an action that no rehearsal used, but those kept for a path named in service-calls.ts', async () => {
    const r = rehearsal();
    const unused: Record<string, string[]> = {};
    for (const fn of r.template.functions) {
      const calls = [...r.proxy.calls.filter((c) => c.caller === fn.name), ...serviceCalls(fn)];
      const left = (await unusedGrants(fn.statements, calls)).sort();
      const kept = Object.keys(grantsForUnrehearsedPaths[fn.name] ?? {}).sort();
      if (JSON.stringify(left) !== JSON.stringify(kept)) unused[fn.name] = left;
    }
    expect(unused).toEqual({});
  });

  it('every function reads every environment variable the template gives it', () => {
    const r = rehearsal();
    const unread: Record<string, string[]> = {};
    for (const fn of r.template.functions) {
      const reads = new Set((invoked.get(fn.name) ?? []).flatMap((run) => run.reads));
      const left = Object.keys(fn.environment).filter((k) => !reads.has(k));
      if (left.length > 0) unread[fn.name] = left;
    }
    expect(unread).toEqual({});
  });
});
