// The application on the AWS adapter set with every use case, for the CLI's table targets and the
// integration tests. Apart from aws.ts so that no Lambda bundle pulls in every use case.
import { type Adapters, type Decorate, decorated } from './adapters.ts';
import { type App, type AppOptions, buildApp } from './app.ts';
import { type AwsAdapterOptions, awsAdapters } from './aws.ts';
import { ALL_USE_CASES } from './use-cases.ts';

/**
 * The application on the AWS adapter set, with the set itself (integration tests seed and inspect the
 * stores through it; production code keeps to the app).
 */
export function awsApp(
  adapterOptions: AwsAdapterOptions,
  appOptions: AppOptions & { readonly decorate?: Decorate },
): { readonly app: App; readonly adapters: Adapters } {
  const { decorate, ...options } = appOptions;
  const adapters = decorated(awsAdapters(adapterOptions), decorate);
  return { app: buildApp(adapters, { useCases: ALL_USE_CASES, ...options }), adapters };
}
