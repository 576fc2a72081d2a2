// The send path imports this; it must stay free of mjml and handlebars. The naive path (Handlebars +
// MailComposer per recipient) is a test oracle: test/oracles/naive-build-message.ts.
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
