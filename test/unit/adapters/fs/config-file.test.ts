import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import example from '../../../../examples/tidings.config.ts';
import { loadConfig } from '../../../../functions/adapters/fs/config-file.ts';

describe('loadConfig', () => {
  it('loads the example TypeScript config when no ./tidings.config.* exists', async () => {
    const { config, path } = await loadConfig(undefined, process.cwd());
    expect(path).toMatch(/examples\/tidings\.config\.ts$/);
    expect(config.site.name).toBe('Signal & Noise');
  });

  it('loads JSON and YAML files and validates them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tidings-cfg-'));
    await writeFile(join(dir, 'c.json'), JSON.stringify(example));
    await writeFile(join(dir, 'c.yaml'), `site: { name: X }\n`);
    await expect(loadConfig('c.json', dir)).resolves.toMatchObject({
      config: { publicUrl: example.publicUrl },
    });
    await expect(loadConfig('c.yaml', dir)).rejects.toThrow(
      /c\.yaml: site\.url: must be an absolute http\(s\) URL/,
    );
  });

  it('says which file is missing and which is unreadable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tidings-cfg-'));
    await writeFile(join(dir, 'bad.json'), '{ nope');
    await expect(loadConfig('missing.json', dir)).rejects.toThrow(/missing\.json: config file not found/);
    await expect(loadConfig('bad.json', dir)).rejects.toThrow(/bad\.json: cannot read config: /);
  });
});
