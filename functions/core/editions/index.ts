export { distinctBy, MAX_BATCH_SIZE, toBatches } from './batches.ts';
export {
  DELIVERY_TAG_NAMES,
  deliveryId,
  deliveryTags,
  type EditionKind,
  type EditionSpec,
  editionId,
  editionKey,
  type PostVersion,
} from './edition-id.ts';
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
