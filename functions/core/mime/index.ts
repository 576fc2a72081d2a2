// The send path imports this; it must stay free of mjml and handlebars. The naive path
// (naive-build-message.ts, Handlebars + MailComposer per recipient) is imported by path where it is needed.
export {
  buildMessage,
  type CompiledMessage,
  compileMessage,
  type Envelope,
  type MessageMeta,
  type RawMessage,
  type Recipient,
  type RecipientLinks,
  toRawBytes,
} from './compile-message.ts';
