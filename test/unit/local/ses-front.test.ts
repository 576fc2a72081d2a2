// The SES emulator's reading of a SendRawEmail form (issue 13 §3): the message cut out of the body before the
// rest is parsed, and an envelope that does not keep the request body alive.
import { describe, expect, it } from 'vitest';
import { formBase64 } from '../../../functions/adapters/aws/ses-query-transport.ts';
import { readEnvelope, readSesForm } from '../../../functions/local/ses-front.ts';

// Bytes whose base64 holds `+`, `/` and `=` padding: every character a form must or may escape.
const MIME = Buffer.from([0xfb, 0xef, 0xff, 0x3e, 0x3f, 0x00, 0x41]);

describe('readSesForm', () => {
  it('reads the message and the envelope when the message is the last field (the lean transport)', () => {
    // Prepare
    const body =
      'Action=SendRawEmail&Version=2010-12-01&Source=hello%40example.com' +
      '&Destinations.member.1=reader%2Btag%40example.org&Tags.member.1.Name=edition' +
      `&Tags.member.1.Value=podcast-instant-1&RawMessage.Data=${formBase64(MIME)}`;
    // Act
    const { form, raw } = readSesForm(Buffer.from(body, 'latin1'));
    // Assess
    expect(raw).toEqual(MIME);
    expect(form.get('Action')).toBe('SendRawEmail');
    expect(readEnvelope(form)).toEqual({
      source: 'hello@example.com',
      destinations: ['reader+tag@example.org'],
      tags: { edition: 'podcast-instant-1' },
    });
  });

  it('reads a message in the middle of the form, every base64 character escaped (the SDK client)', () => {
    const escaped = encodeURIComponent(MIME.toString('base64'));
    const body = `Action=SendRawEmail&RawMessage.Data=${escaped}&Destinations.member.1=a%40example.org&Version=2010-12-01`;
    const { form, raw } = readSesForm(Buffer.from(body, 'latin1'));
    expect(raw).toEqual(MIME);
    expect(form.get('RawMessage.Data')).toBeNull();
    expect(readEnvelope(form).destinations).toEqual(['a@example.org']);
  });

  it('does not take a field whose name only ends in RawMessage.Data for the message', () => {
    const body = `Action=SendRawEmail&XRawMessage.Data=bm90&RawMessage.Data=${formBase64(MIME)}`;
    const { form, raw } = readSesForm(Buffer.from(body, 'latin1'));
    expect(raw).toEqual(MIME);
    expect(form.get('XRawMessage.Data')).toBe('bm90');
  });

  it('gives no message when the form has none', () => {
    const { form, raw } = readSesForm(Buffer.from('Action=GetSendQuota&Version=2010-12-01', 'latin1'));
    expect(raw).toBeUndefined();
    expect(form.get('Action')).toBe('GetSendQuota');
  });
});
