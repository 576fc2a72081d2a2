import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Records a cdk-nag acknowledgement for one exact finding on one construct (and its children). */
export function acknowledge(construct: IConstruct, finding: string, reason: string): void {
  Validations.of(construct).acknowledge({ id: finding, reason });
}
