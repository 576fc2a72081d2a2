// The subscriber pages' one stylesheet (inline, hashed for the Content-Security-Policy by pages.ts): the
// site's brand colours and font, mirrored for a right-to-left language.
import { brandColours } from '../core/brand.ts';
import type { Config } from '../core/config/schema.ts';

/** The stylesheet of the pages of one site in one writing direction. */
export function stylesheet(config: Config, dir: 'ltr' | 'rtl'): string {
  // The sides that mirror for a right-to-left language.
  const start = dir === 'rtl' ? 'right' : 'left';
  const c = brandColours(config.site.brandColor);
  // CSS cannot contain user input: the colours are validated hex, the font is the site owner's config with
  // anything that could close the declaration stripped.
  const font = config.site.font.replace(/[;{}<>\\]/g, '');
  return [
    `*,*::before,*::after{box-sizing:border-box}`,
    `html{-webkit-text-size-adjust:100%}`,
    `body{margin:0;background:#f4f4f6;color:#1d1d1f;font-family:${font};font-size:1.0625rem;line-height:1.55}`,
    `body.embed{background:transparent}`,
    `header.site,footer.site{max-width:38rem;margin:0 auto;padding:1.25rem 1rem}`,
    `a.brand{display:inline-flex;align-items:center;gap:.6rem;color:#1d1d1f;font-weight:700;font-size:1.2rem;text-decoration:none}`,
    `a.brand img{border-radius:6px}`,
    `footer.site{color:#555;font-size:.875rem}`,
    `main.card{max-width:38rem;margin:0 auto 1rem;background:#fff;padding:1.5rem 1.25rem;border-top:4px solid ${c.accent}}`,
    `body.embed main.card{margin:0;border:1px solid #d0d0d7;border-top:4px solid ${c.accent};border-radius:8px}`,
    `@media (min-width:40rem){main.card{padding:2rem 2.25rem;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.08)}}`,
    `h1{font-size:1.6rem;line-height:1.25;margin:0 0 .75rem}`,
    `p{margin:0 0 1rem}`,
    `.lead{font-size:1.1rem}`,
    `.small,.hint{color:#555;font-size:.9rem}`,
    `.hint{font-weight:400}`,
    `p.hint{margin:0 0 .75rem}`,
    `form + .small{margin-top:1rem}`,
    `a{color:${c.link}}`,
    `.field{margin:0 0 1rem}`,
    `label{display:block;font-weight:600;margin:0 0 .3rem}`,
    `input[type=email],input[type=text],select{display:block;width:100%;font:inherit;padding:.65rem .75rem;border:1px solid #767680;border-radius:6px;background:#fff;color:#1d1d1f;min-height:44px}`,
    `fieldset{border:1px solid #d0d0d7;border-radius:8px;margin:0 0 1rem;padding:.75rem 1rem}`,
    `legend{font-weight:700;padding:0 .25rem}`,
    `.choice{display:flex;gap:.6rem;align-items:flex-start;margin:.25rem 0 .75rem}`,
    `.choice input{width:1.25rem;height:1.25rem;margin:.2rem 0 0;flex:none;accent-color:${c.accent}}`,
    `.choice label{margin:0}`,
    `[hidden]{display:none!important}`,
    `button{font:inherit;font-weight:600;min-height:44px;padding:.7rem 1.4rem;border-radius:6px;border:2px solid ${c.accent};background:${c.accent};color:${c.onAccent};cursor:pointer;width:100%}`,
    `@media (min-width:40rem){button{width:auto}}`,
    `button.quiet{background:#fff;color:${c.link};border-color:#767680}`,
    `form.secondary{margin-top:1rem;padding-top:1rem;border-top:1px solid #e3e3e8}`,
    `:focus-visible{outline:3px solid ${c.link};outline-offset:2px}`,
    `.error{color:#a4001d;background:#fff0f2;border-${start}:4px solid #a4001d;padding:.6rem .8rem}`,
    `.notice{color:#0b5a2a;background:#eefaf2;border-${start}:4px solid #0b7a3a;padding:.6rem .8rem}`,
    `.hp{position:absolute;${start}:-10000px;width:1px;height:1px;overflow:hidden}`,
    `ul.links{padding-${start}:1.2rem}`,
    `ul.links li{margin:.3rem 0}`,
  ].join('\n');
}
