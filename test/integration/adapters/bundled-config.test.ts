import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundledConfig } from '../../../functions/adapters/aws/bundled-config.ts';
import { loadConfig } from '../../../functions/adapters/fs/config-file.ts';

describe('loadBundledConfig', () => {
  it('reads back exactly the validated config that synth wrote into the bundle', async () => {
    // Prepare: what infra/tidings-app.ts writes as tidings.config.json.
    const { config } = await loadConfig('examples/tidings.config.ts');
    const file = join(mkdtempSync(join(tmpdir(), 'tidings-bundle-')), 'tidings.config.json');
    writeFileSync(file, JSON.stringify(config));
    // Act
    const read = await loadBundledConfig(file);
    // Assess
    expect(read).toEqual(config);
    expect(read.sending.maxRate).toBe(14);
  });

  it('says to redeploy when the bundle has no config', async () => {
    await expect(loadBundledConfig('/nonexistent/tidings.config.json')).rejects.toMatchObject({
      code: 'CONFIG_NOT_FOUND',
      message: expect.stringContaining('redeploy with npx cdk deploy'),
    });
  });
});
