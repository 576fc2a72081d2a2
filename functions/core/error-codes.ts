/**
 * Every error code tidings raises, with what it means. `TidingsError` takes only these, so a new code is
 * added here (and to docs/errors.md, which a test keeps equal to this list) or not at all. Scripts match
 * on the codes: never rename one, only add.
 */
export const ERROR_CODES = {
  // Configuration and environment
  CONFIG_NOT_FOUND: 'no tidings.config.ts (or --config file) where it was looked for',
  CONFIG_UNREADABLE: 'the config file exists but cannot be read or loaded',
  CONFIG_INVALID: 'a config field is wrong; the message names the field',
  ENV_MISSING: 'a Lambda environment variable the stack sets is missing',
  REGION_MISSING: '--stack without AWS_REGION or aws.region in the config',
  TEMPLATES_UNREADABLE: 'the templates folder cannot be read',
  ARCHIVE_WRITE_FAILED: 'a web archive file could not be written',
  SEND_AT_INVALID: 'a scheduled send time is not a future date-time with its offset, within a year',
  SCHEDULED_SEND_NOT_FOUND: 'no send is scheduled with that id',
  TEMPLATES_INCOMPLETE: 'the templates folder lacks a layout or partial',
  TEMPLATE_INVALID: 'an MJML template does not validate or compile',
  SIGNING_KEY_MISSING: 'this process has no link-signing keys',
  SIGNING_KEY_INVALID: 'the signing keys are not in the expected shape',
  SIGNING_KEY_UNREADABLE: 'the signing key secret cannot be read',
  ORIGIN_SECRET_INVALID: 'the CloudFront origin secret of the http function is empty or too short',
  // Processes and stacks
  DEV_NOT_RUNNING: 'no `tidings dev` stack is running',
  STACK_NOT_FOUND: 'the --stack does not exist in this account and Region',
  STACK_UNREADABLE: 'the --stack cannot be described',
  STACK_OUTPUT_MISSING: 'the deployed stacks lack an output tidings reads',
  RENDER_UNAVAILABLE: 'this process has no renderer (plan in the plan function or the CLI)',
  FETCH_UNAVAILABLE: 'this process has no feed fetcher',
  OBJECTS_UNAVAILABLE: 'this process cannot read the posts bucket',
  USE_CASE_UNAVAILABLE: 'this process was not built with that use case (it runs in another function)',
  PLAN_HANDOFF_FAILED: 'the plan function could not be started for an edition',
  JOURNEY_HANDOFF_FAILED: 'the http function could not hand a sign-up or resend to its asynchronous invoke',
  // Command-line input
  OPTION_INVALID: 'a command-line option has a value it does not take, or options that do not go together',
  LIST_REQUIRED: 'the command needs --list',
  LIST_UNKNOWN: 'no list with that id in the config',
  OUTPUT_UNWRITABLE: 'the --out folder cannot be written',
  SOURCE_UNREADABLE: 'a post, feed or file given as a source cannot be read',
  PUBLISH_STACK_SOURCE: 'publish --stack takes a Markdown file',
  PUBLISH_UPLOAD_FAILED: 'the post could not be uploaded to the deployed bucket',
  // Posts and feeds
  POST_FRONT_MATTER_MISSING: 'a Markdown post has no front matter',
  POST_FRONT_MATTER_INVALID: 'the front matter is not valid YAML',
  POST_FIELD_MISSING: 'a required front matter field is missing',
  POST_FIELD_INVALID: 'a front matter field has a wrong value',
  POST_NOT_FOUND: 'no post with that id',
  POST_NOT_FOR_LIST: 'the post does not target that list',
  NO_POSTS: 'the source holds no post',
  FEED_NOT_A_FEED: 'the document is not RSS, Atom or JSON Feed',
  FEED_XML_ERROR: 'the feed is not well-formed XML',
  FEED_JSON_INVALID: 'the JSON feed does not parse',
  FEED_ITEM_NO_LINK: 'a feed item has no link and the site has no URL to fall back on',
  FEED_NOT_FOUND: 'no feed with that id in the config',
  URL_INVALID: 'a URL is not an absolute http(s) URL',
  // Editions and messages
  EDITION_NOT_FOUND: 'no edition with that id',
  EDITION_NOT_RENDERED: 'the edition has no stored rendering to send from',
  EDITION_EMPTY: 'an edition needs at least one post',
  EDITION_KIND: 'an edition kind tidings does not know',
  LIST_ID_INVALID: 'a list id that cannot go into a List-Id header',
  ADDRESS_INVALID: 'an email address that is not valid',
  DATE_INVALID: 'a date that is not valid ISO 8601',
  MESSAGE_ID_INVALID: 'a Message-ID that is not valid',
  MESSAGE_NOT_7BIT: 'a prepared message is not 7-bit text',
  MIME_STRUCTURE: 'the compiled MIME does not have the expected parts',
  COMPILED_MESSAGE_SLOT: 'a stored compiled message has an unknown slot',
  COMPILED_MESSAGE_VERSION: 'a stored compiled message has a version this code does not read',
  // Sending
  SES_THROTTLED: 'SES refused for the sending rate; back off and retry',
  SES_RECIPIENT_REJECTED: 'SES will never accept this one address',
  SES_TRANSIENT: 'the send outcome is unknown; reconciliation settles it',
  SES_REFUSED: 'SES refused the call itself (identity, account, configuration set)',
  SES_BAD_TAG: 'a message tag SES does not allow',
  QUEUE_SEND_FAILED: 'send batches could not be put on the queue',
  // Stores
  STORE_FAILED: 'a storage call failed',
  CURSOR_INVALID: 'a paging cursor the store did not give out',
  SUBSCRIBER_NOT_FOUND: 'no subscriber with that id or address',
  DELIVERY_NOT_FOUND: 'no claimed delivery for that edition and subscriber',
  MEMBERSHIP_INCOMPLETE: 'a new list membership needs a status and a cadence',
  DUPLICATE_EMAILS: 'one batch write named the same address twice',
  // Subscribers and import
  IMPORT_FILE: 'the import file cannot be read',
  IMPORT_EMPTY: 'the import file has no rows',
  IMPORT_NO_EMAIL: 'the import file has no email column',
  IMPORT_UNKNOWN_FORMAT: 'the header row matches no known export',
  IMPORT_FORMAT_MISMATCH: 'a forced --format would ignore what the file says',
  IMPORT_BAD_ROWS: 'the import file has a bad row, so none of it was imported (or pass --skip-bad-rows)',
  // The subscriber pages and feedback
  METHOD_NOT_ALLOWED: 'an HTTP method the endpoint does not take',
  BODY_TOO_LARGE: 'a request body over the limit',
  BODY_INVALID_JSON: 'a request body that is not valid JSON',
  BODY_INVALID_MULTIPART: 'a multipart request body that does not parse',
  FEEDBACK_EVENT_INVALID: 'an event that is neither an SNS batch nor an EventBridge SES event',
} as const;

/** A stable, machine-matchable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;
