import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The single table every DynamoDB adapter shares. docs/table-design.md lists each item type,
 * its keys and every access pattern. Attribute names are short and generic on purpose: one
 * table, several entity types, two overloaded indexes.
 */
export const TABLE_KEYS = {
  pk: 'pk',
  sk: 'sk',
  gsi1: { name: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk' },
  gsi2: { name: 'gsi2', pk: 'gsi2pk', sk: 'gsi2sk' },
} as const;

/** The table as CreateTable needs it (used by the emulators; the CDK stack mirrors it). */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  const { pk, sk, gsi1, gsi2 } = TABLE_KEYS;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [pk, sk, gsi1.pk, gsi1.sk, gsi2.pk, gsi2.sk].map((name) => ({
      AttributeName: name,
      AttributeType: 'S',
    })),
    KeySchema: [
      { AttributeName: pk, KeyType: 'HASH' },
      { AttributeName: sk, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [gsi1, gsi2].map((g) => ({
      IndexName: g.name,
      KeySchema: [
        { AttributeName: g.pk, KeyType: 'HASH' },
        { AttributeName: g.sk, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

/**
 * What the subscriber pages (the public http function) may do to the table: item reads on the partitions of
 * subscribers (`SUB#`), their email locks (`EMAIL#`), suppressions (`SUPP#`: read to decide whether to
 * send) and rate-limit windows (`RATE#`); item writes on the same but suppressions, which only the feedback
 * function and the operator's CLI may lift or add; and a Query of the import leases (`IMPORTS`, read by a
 * sign-up of a new address: dynamo-import-leases.ts). No index, no Scan, no other entity. The stack turns
 * each part into a statement of the function's IAM policy (`dynamodb:LeadingKeys`), and
 * test/integration/journey/table-access.test.ts records every call the routes make against it.
 */
export const SUBSCRIBER_PAGES_TABLE_ACCESS = {
  read: {
    actions: ['dynamodb:GetItem'],
    partitionPrefixes: ['SUB#', 'EMAIL#', 'SUPP#', 'RATE#'],
  },
  write: {
    actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
    partitionPrefixes: ['SUB#', 'EMAIL#', 'RATE#'],
  },
  leases: {
    actions: ['dynamodb:Query'],
    partitionPrefixes: ['IMPORTS'],
  },
} as const;
