import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { ArchiveFile } from '../../core/archive/build.ts';
import { TidingsError } from '../../core/errors.ts';
import type { ArchiveObjects } from '../../ports/archive-objects.ts';

/** The archive as files under a folder (`tidings archive build --out`, and `tidings dev`, which serves it). */
export class FsArchiveObjects implements ArchiveObjects {
  readonly #root: string;

  constructor(root: string) {
    this.#root = resolve(root);
  }

  async write(files: readonly ArchiveFile[]): Promise<void> {
    for (const file of files) {
      const path = resolve(join(this.#root, file.path));
      // Paths come from slugs, which are [a-z0-9-]; refuse anything that would leave the folder anyway.
      if (!path.startsWith(this.#root + sep)) {
        throw new TidingsError('ARCHIVE_WRITE_FAILED', `${file.path}: not a path inside ${this.#root}`);
      }
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.body);
    }
  }
}
