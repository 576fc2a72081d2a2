import Handlebars from 'handlebars';
import MailComposer from 'nodemailer/lib/mail-composer';
import type {
  Envelope,
  MessageMeta,
  Recipient,
  RecipientLinks,
} from '../../functions/core/mime/compile-message.ts';
import type { RenderedEdition } from '../../functions/core/render/render-edition.ts';
import { greetingFor, LITERAL_SLOTS, stripControl } from '../../functions/core/render/slots.ts';

const compiledTemplates = new WeakMap<
  RenderedEdition,
  { html: Handlebars.TemplateDelegate; text: Handlebars.TemplateDelegate }
>();

/**
 * The straightforward way to personalize: Handlebars fills the stored template, and nodemailer's
 * MailComposer builds and encodes the whole message, for every recipient. It is the baseline that
 * test/bench/render.bench.ts measures the fast path against, and the oracle the MIME tests compare with.
 * Not for the send path.
 */
export async function naiveBuildMessage(
  rendered: RenderedEdition,
  envelope: Envelope,
  recipient: Recipient,
  links: RecipientLinks,
  meta: MessageMeta,
): Promise<Buffer> {
  let templates = compiledTemplates.get(rendered);
  if (!templates) {
    templates = {
      html: Handlebars.compile(rendered.html),
      text: Handlebars.compile(rendered.text, { noEscape: true }),
    };
    compiledTemplates.set(rendered, templates);
  }
  const name = recipient.name ? stripControl(recipient.name).trim() : '';
  const data = {
    greeting: greetingFor(name),
    email: recipient.email,
    unsubscribeUrl: links.unsubscribeUrl,
    preferencesUrl: links.preferencesUrl,
    ...LITERAL_SLOTS,
  };
  const mailto = envelope.unsubscribeMailto
    ? `, <mailto:${envelope.unsubscribeMailto}?subject=unsubscribe>`
    : '';
  return new MailComposer({
    from: { name: stripControl(envelope.from.name).trim(), address: envelope.from.address },
    ...(envelope.replyTo ? { replyTo: envelope.replyTo } : {}),
    to: name ? { name, address: recipient.email } : recipient.email,
    subject: stripControl(rendered.subject).trim(),
    date: meta.date,
    messageId: `<${meta.messageId.replace(/^<|>$/g, '')}>`,
    headers: {
      'List-Id': `"${stripControl(envelope.listName).replace(/["\\]/g, '\\$&')}" <${envelope.listId}.${envelope.domain}>`,
      'List-Unsubscribe': { prepared: true, value: `<${links.unsubscribeUrl}>${mailto}` },
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    textEncoding: 'quoted-printable',
    text: templates.text(data),
    html: templates.html(data),
  })
    .compile()
    .build();
}
