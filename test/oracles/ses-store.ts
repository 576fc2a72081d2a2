// Test-only control of the SES emulator (aws-ses-v2-local): reading what it holds is in
// functions/adapters/local/emulators.ts (the demo uses it); emptying it is only for tests.

/** Empties the SES emulator's mailbox. */
export async function clearSesStore(storeUrl: string): Promise<void> {
  const base = storeUrl.replace(/\/store\/?$/, '');
  await fetch(`${base}/clear-store`, { method: 'POST' });
}
