import type { ArchiveFile } from '../core/archive/build.ts';

/** Where the web archive's files go: the bucket's `archive/` prefix on AWS, a folder locally. */
export interface ArchiveObjects {
  /** Writes (or replaces) each file at its path under the archive; throws when one cannot be written. */
  write(files: readonly ArchiveFile[]): Promise<void>;
}
