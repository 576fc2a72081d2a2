export type { EmailProblem, EmailVerdict } from './email.ts';
export { checkEmail, emailKey, normalizeEmail } from './email.ts';
export type { MergeResult } from './subscriber.ts';
export { mergeSubscriber, newSubscriberId, patchMembership, sameMembership } from './subscriber.ts';
