/** The real size of an image, in pixels. */
export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

// Sizes written into image URLs by CDNs: Cloudinary/Substack (`w_1456,h_816`), WordPress (`-1024x576.jpg`).
const CDN_WH = /[/,]w_(\d{1,5}),(?:[a-z]+_[^,/]*,)*h_(\d{1,5})[,/]/;
const CDN_HW = /[/,]h_(\d{1,5}),(?:[a-z]+_[^,/]*,)*w_(\d{1,5})[,/]/;
const SUFFIX_WH = /-(\d{2,5})x(\d{2,5})\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i;

/**
 * The size an image URL states about itself, where a CDN writes it into the path.
 *
 * @example
 * sizeFromUrl('https://substackcdn.com/image/fetch/w_1456,h_816,c_fill/https%3A%2F%2Fx.jpg') // { width: 1456, height: 816 }
 * sizeFromUrl('https://blog.example/wp-content/uploads/desk-1024x576.jpg') // { width: 1024, height: 576 }
 */
export function sizeFromUrl(url: string): ImageSize | undefined {
  const wh = CDN_WH.exec(url) ?? SUFFIX_WH.exec(url);
  if (wh) return sane(Number(wh[1]), Number(wh[2]));
  const hw = CDN_HW.exec(url);
  return hw ? sane(Number(hw[2]), Number(hw[1])) : undefined;
}

function sane(width: number, height: number): ImageSize | undefined {
  return width > 0 && height > 0 && width <= 20_000 && height <= 20_000 ? { width, height } : undefined;
}

/** The size Substack states in an image's `data-attrs` (`{"width":1456,"height":816}`). */
export function sizeFromDataAttrs(attrs: Record<string, unknown> | undefined): ImageSize | undefined {
  const w = attrs?.width;
  const h = attrs?.height;
  return typeof w === 'number' && typeof h === 'number' ? sane(Math.round(w), Math.round(h)) : undefined;
}
