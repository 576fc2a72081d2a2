export type {
  ConsentEvidence,
  ListStatus,
  Membership,
  Page,
  Subscriber,
  SubscriberStore,
} from './subscriber-store.ts';
