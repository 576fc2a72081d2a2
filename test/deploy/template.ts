import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The synthesized stateless template as the rehearsal reads it: each function's bundle, environment and
// role policy, with CloudFormation's intrinsics resolved against the rehearsal's stand-ins for the deployed
// resources (the emulators' table and queue, fake ARNs in one account and Region).

export const ACCOUNT = '123456789012';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON.
type Json = any;

/** One deployed function, as the template describes it. */
export interface DeployedFunction {
  /** Its handler's name, from its description `tidings <name>: …`. */
  readonly name: string;
  readonly logicalId: string;
  /** The asset folder inside cdk.out that holds its bundle. */
  readonly assetDir: string;
  /** `index.handler` → the file and the export. */
  readonly handler: string;
  /** Its memory size in MB, which the runtime announces to it. */
  readonly memorySize: number;
  /** Its environment, resolved. */
  readonly environment: Record<string, string>;
  /** Every statement of its role's policies, resolved. */
  readonly statements: readonly Json[];
  /** The ARN of its log group (`…:log-group:<name>:*`), where the Lambda service writes its output. */
  readonly logGroupArn: string;
  /** The ARNs of the queues an event source mapping reads for it. */
  readonly eventSourceQueues: readonly string[];
  /** Active X-Ray tracing: the service then sends trace segments with the function's role. */
  readonly tracing: boolean;
}

/** What the stateful exports and the stack's own resources stand for in the rehearsal. */
export interface StandIns {
  readonly region: string;
  readonly imports: Readonly<Record<string, string>>;
  /** `Ref` of a logical id (queue URL, secret ARN, function name, configuration set name…). */
  ref(logicalId: string, resource: Json): string;
  /** `Fn::GetAtt` of a logical id. */
  getAtt(logicalId: string, attribute: string, resource: Json): string;
}

export interface StatelessTemplate {
  readonly resources: Record<string, Json>;
  /** Every tidings function of the template (described `tidings <name>: …`), whatever its name. */
  readonly functions: readonly DeployedFunction[];
  /** The logical ids of the template's other functions (CDK's own deploy-time providers). */
  readonly otherFunctions: readonly string[];
  functionOf(name: string): DeployedFunction;
}

const TIDINGS_DESCRIPTION = /^tidings ([a-z-]+): /;

/** Reads `<stack>.template.json` from the cloud assembly. */
export function readStateless(outdir: string, stackName: string, standIns: StandIns): StatelessTemplate {
  const template = JSON.parse(readFileSync(join(outdir, `${stackName}.template.json`), 'utf8'));
  const resources: Record<string, Json> = template.Resources;
  const resolve = (value: Json): Json => resolveIntrinsics(value, resources, standIns);
  const deployed = (logicalId: string, fn: Json): DeployedFunction => {
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    const statements = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: Json) => x.Ref === roleId))
      .flatMap((r) => r.Properties.PolicyDocument.Statement)
      .map(resolve);
    const logGroupId = fn.Properties.LoggingConfig?.LogGroup?.Ref;
    if (!logGroupId) throw new Error(`${logicalId}: no log group of its own in LoggingConfig`);
    return {
      name: TIDINGS_DESCRIPTION.exec(String(fn.Properties.Description))?.[1] ?? logicalId,
      logicalId,
      // The asset's hash names both its zip in the bootstrap bucket and its folder in cdk.out.
      assetDir: join(outdir, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`),
      handler: fn.Properties.Handler,
      memorySize: Number(fn.Properties.MemorySize ?? 128),
      environment: resolve(fn.Properties.Environment?.Variables ?? {}),
      statements,
      logGroupArn: resolve({ 'Fn::GetAtt': [logGroupId, 'Arn'] }),
      eventSourceQueues: Object.values(resources)
        .filter(
          (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties.FunctionName?.Ref === logicalId,
        )
        .map((r) => resolve(r.Properties.EventSourceArn)),
      tracing: fn.Properties.TracingConfig?.Mode === 'Active',
    };
  };
  const lambdas = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
  const functions = lambdas
    .filter(([, r]) => TIDINGS_DESCRIPTION.test(String(r.Properties.Description)))
    .map(([id, r]) => deployed(id, r));
  return {
    resources,
    functions,
    otherFunctions: lambdas
      .filter(([, r]) => !TIDINGS_DESCRIPTION.test(String(r.Properties.Description)))
      .map(([id]) => id),
    functionOf(name) {
      const found = functions.find((fn) => fn.name === name);
      if (!found) throw new Error(`no ${name} function in the template`);
      return found;
    },
  };
}

function resolveIntrinsics(value: Json, resources: Record<string, Json>, s: StandIns): Json {
  const again = (v: Json) => resolveIntrinsics(v, resources, s);
  if (Array.isArray(value)) return value.map(again);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const arg = value[key];
    switch (key) {
      case 'Ref': {
        if (arg === 'AWS::AccountId') return ACCOUNT;
        if (arg === 'AWS::Region') return s.region;
        if (arg === 'AWS::Partition') return 'aws';
        if (arg === 'AWS::URLSuffix') return 'amazonaws.com';
        return s.ref(arg, resources[arg]);
      }
      case 'Fn::GetAtt':
        return s.getAtt(arg[0], arg[1], resources[arg[0]]);
      case 'Fn::ImportValue': {
        const name = again(arg);
        const v = s.imports[name];
        if (v === undefined) throw new Error(`the rehearsal has no stand-in for the import ${name}`);
        return v;
      }
      case 'Fn::Join':
        return (again(arg[1]) as string[]).join(arg[0]);
      case 'Fn::Select':
        return again(arg[1])[arg[0]];
      case 'Fn::Split':
        return String(again(arg[1])).split(arg[0]);
    }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, again(v)]));
}
