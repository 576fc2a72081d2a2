import type { ImageSize } from '../core/render/images.ts';

/**
 * Measures images before an edition is rendered, so that each gets a width and a height from its real
 * aspect ratio (core/render/images.ts `imagesToMeasure` says which). Best effort: an image that cannot be
 * measured in time is left out of the result, and the renderer falls back to a safe default.
 */
export interface ImageDimensions {
  measure(urls: readonly string[]): Promise<ReadonlyMap<string, ImageSize>>;
}
