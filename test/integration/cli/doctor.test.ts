import { describe, expect, it } from 'vitest';
import { useDnsServer } from '../../helpers/dns-server.ts';
import { answerSesAccount, type SesAccountFacts } from '../../helpers/ses-account-stand-in.ts';
import { answerDescribeStacks, runTidings, useStandIn } from '../../helpers/stand-ins.ts';

// `tidings doctor --stack Tidings` for the example config (domain signal-noise.example.com, MAIL FROM
// bounce.signal-noise.example.com; the essays list has no replyTo). SES's identity and quota APIs and
// CloudFormation's DescribeStacks answer from one stand-in on 127.0.0.1; DNS from a dns2 server there.
const DOMAIN = 'signal-noise.example.com';
const MAIL_FROM = 'bounce.signal-noise.example.com';
const healthy = {
  txt: {
    [MAIL_FROM]: ['v=spf1 include:amazonses.com ~all'],
    [`_dmarc.${DOMAIN}`]: ['v=DMARC1; p=none; rua=mailto:dmarc@signal-noise.example.com'],
  } as Record<string, string[]>,
  mx: {
    [MAIL_FROM]: ['feedback-smtp.eu-west-1.amazonses.com'],
    [DOMAIN]: ['inbound-smtp.eu-west-1.amazonaws.com'],
  } as Record<string, string[]>,
};
const production: SesAccountFacts = {
  identities: { [DOMAIN]: { verification: 'Success', dkimEnabled: true, dkimStatus: 'Success' } },
  quota: { maxSendRate: 14, max24HourSend: 50_000, sentLast24Hours: 120 },
};

let records = healthy;
let account = production;
const dns = useDnsServer(() => records);
const endpoint = useStandIn((req, body, res) => {
  if (answerSesAccount(req, body, res, account)) return;
  const name = new URLSearchParams(body).get('StackName') ?? '';
  answerDescribeStacks(
    res,
    name,
    name === 'Tidings-stateful' ? { TableName: 't', BucketName: 'b' } : undefined,
  );
});

function doctor(...args: string[]): ReturnType<typeof runTidings> {
  return runTidings(
    ['doctor', '--stack', 'Tidings', '--dns', dns(), '--config', 'examples/tidings.config.ts', ...args],
    {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint(),
      AWS_ENDPOINT_URL_SES: endpoint(),
      AWS_MAX_ATTEMPTS: '1',
      NODE_NO_WARNINGS: '1',
    },
  );
}

describe('tidings doctor --stack', () => {
  it('passes every check of a deployment ready to send, and exits 0', async () => {
    // Act
    const run = await doctor();
    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`✓ identity ${DOMAIN} is verified in SES`);
    expect(run.stdout).toContain(`✓ DKIM of ${DOMAIN} signs`);
    expect(run.stdout).toContain(`✓ SPF of ${MAIL_FROM} includes amazonses.com`);
    expect(run.stdout).toContain(`✓ DMARC record at _dmarc.${DOMAIN}`);
    expect(run.stdout).toContain(`✓ MAIL FROM ${MAIL_FROM} has MX feedback-smtp.eu-west-1.amazonses.com`);
    expect(run.stdout).toContain('✓ production access (14/s, 50000 a day');
    expect(run.stdout).toContain(`✓ list essays: replies go to ada@${DOMAIN}`);
    expect(run.stdout).not.toContain('✗');
  });

  it('names what is missing, each with its fix: DMARC, and a reply domain with no MX', async () => {
    // Prepare: no DMARC record, and the From domain of essays (no replyTo) takes no mail.
    records = {
      txt: { [MAIL_FROM]: healthy.txt[MAIL_FROM] ?? [] },
      mx: { [MAIL_FROM]: healthy.mx[MAIL_FROM] ?? [] },
    };
    // Act
    const run = await doctor();
    records = healthy;
    // Assess
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    const lineAfter = (line: string) => lines[lines.indexOf(line) + 1];
    const dmarc = `✗ DMARC: no v=DMARC1 record at _dmarc.${DOMAIN}`;
    const replies = `✗ list essays: replies would go to ada@${DOMAIN}, but ${DOMAIN} has no MX`;
    expect(lines).toContain(dmarc);
    expect(lineAfter(dmarc)).toContain(`fix: add TXT _dmarc.${DOMAIN} "v=DMARC1; p=none;`);
    expect(lines).toContain(replies);
    expect(lineAfter(replies)).toBe(
      `    fix: set replyTo for list essays in the config, or give ${DOMAIN} an MX that someone reads`,
    );
    // The podcast list has a replyTo: nothing to say about it.
    expect(run.stdout).not.toContain('list podcast');
    expect(lines).toContain('2 of 7 checks failed');
  });

  it('says the account is in the sandbox and DKIM is pending, as JSON', async () => {
    // Prepare
    account = {
      identities: { [DOMAIN]: { verification: 'Pending', dkimEnabled: true, dkimStatus: 'Pending' } },
      quota: { maxSendRate: 1, max24HourSend: 200, sentLast24Hours: 3 },
    };
    // Act
    const run = await doctor('--json');
    account = production;
    // Assess
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      checks: { status: string; what: string; fix?: string }[];
    };
    expect(report.ok).toBe(false);
    const failed = report.checks.filter((c) => c.status === 'fail');
    expect(failed.map((c) => c.what)).toEqual([
      `identity ${DOMAIN} is not verified (Pending)`,
      `DKIM of ${DOMAIN} is not verified (Pending)`,
      'the account is in the SES sandbox (1/s, 200 a day, 3 sent in the last 24 h): only verified addresses receive mail',
    ]);
    expect(failed[2]?.fix).toContain('Request production access');
  });

  it('exits 1 with one line when the stack is not deployed', async () => {
    const run = await runTidings(
      ['doctor', '--stack', 'Elsewhere', '--dns', dns(), '--config', 'examples/tidings.config.ts'],
      {
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint(),
        AWS_MAX_ATTEMPTS: '1',
        NODE_NO_WARNINGS: '1',
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('stack Elsewhere-stateful does not exist'),
    ]);
  });
});
