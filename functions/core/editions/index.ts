export { distinctBy, MAX_BATCH_SIZE, toBatches } from './batches.ts';
export {
  DELIVERY_TAG_NAMES,
  deliveryId,
  deliveryTags,
  type EditionSpec,
  editionId,
  editionKey,
  type PostVersion,
} from './edition-id.ts';
export type {
  CounterDelta,
  Edition,
  EditionCounters,
  EditionKind,
  EditionPostRef,
  EditionRecord,
  EditionStatus,
  PlannerCheckpoint,
  StoredRendering,
} from './model.ts';
export { isEditionComplete, type OutcomeTotals } from './progress.ts';
export {
  DIGEST_LOOKBACK_MS,
  type DigestCandidate,
  type DigestCursor,
  decidePublish,
  digestQueryFrom,
  digestSpec,
  nextDigestCursor,
  type PublishDecision,
  selectDigestPosts,
} from './select.ts';
export {
  type SendVerdictInput,
  type SkipReason,
  skipReason,
  type VerdictSubscriber,
} from './send-verdict.ts';
