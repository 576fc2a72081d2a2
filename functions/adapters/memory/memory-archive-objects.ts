import type { ArchiveFile } from '../../core/archive/build.ts';
import type { ArchiveObjects } from '../../ports/archive-objects.ts';

/** The archive's files in memory, by path: what a test reads back. */
export class MemoryArchiveObjects implements ArchiveObjects {
  readonly files = new Map<string, ArchiveFile>();

  async write(files: readonly ArchiveFile[]): Promise<void> {
    for (const file of files) this.files.set(file.path, { ...file });
  }
}
