import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES_DIR, loadTemplates } from '../../../../functions/adapters/fs/templates.ts';

describe('loadTemplates', () => {
  it('reads the shipped templates, partials, theme and subjects', async () => {
    const templates = await loadTemplates();
    expect(templates.post).toContain('<mjml');
    expect(templates.digest).toContain('<mjml');
    expect(Object.keys(templates.partials).sort()).toEqual([
      'footer',
      'head',
      'header',
      'media-card',
      'preheader',
    ]);
    expect(templates.theme.dark.background).toMatch(/^#/);
    expect(templates.subjects?.post.subject).toBe('{{post.title}}');
  });

  it('refuses a templates folder that lacks a partial, naming it', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'tidings-templates-'));
    cpSync(DEFAULT_TEMPLATES_DIR, dir, { recursive: true });
    rmSync(join(dir, 'partials', 'footer.mjml'));
    // Act + Assess
    await expect(loadTemplates(dir)).rejects.toThrow(/partials: missing partials footer; copy them/);
  });

  it('uses a folder of its own, with its own subject line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidings-templates-'));
    cpSync(DEFAULT_TEMPLATES_DIR, dir, { recursive: true });
    writeFileSync(
      join(dir, 'subjects.json'),
      JSON.stringify({
        post: { subject: 'New: {{post.title}}', preheader: '' },
        digest: { subject: 'd', preheader: '' },
      }),
    );
    const templates = await loadTemplates(dir);
    expect(templates.subjects?.post.subject).toBe('New: {{post.title}}');
  });
});
