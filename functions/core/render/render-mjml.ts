import Handlebars from 'handlebars';
import mjml2html from 'mjml';
import { TidingsError } from '../errors.ts';
import { registerI18nHelpers } from '../i18n/handlebars-helpers.ts';

/** A template failed MJML validation (level `strict`) or Handlebars compilation. */
export class TemplateError extends TidingsError {
  override readonly name = 'TemplateError';
}

interface Env {
  readonly hbs: typeof Handlebars;
  readonly fns: Map<string, Handlebars.TemplateDelegate>;
}

// One Handlebars environment per partials object (the adapter loads them once per process), with its
// compiled templates cached: the same templates serve every edition.
const envs = new WeakMap<object, Env>();

function envFor(partials: Readonly<Record<string, string>>): Env {
  let env = envs.get(partials);
  if (!env) {
    const hbs = Handlebars.create();
    registerI18nHelpers(hbs);
    for (const [name, partial] of Object.entries(partials)) hbs.registerPartial(name, partial);
    env = { hbs, fns: new Map() };
    envs.set(partials, env);
  }
  return env;
}

/**
 * Runs the Handlebars pass over a template with the given partials. Everything in `data` is HTML-escaped
 * unless the template uses `{{{ }}}`, which tidings keeps for HTML the renderer made itself.
 */
export function fillTemplate(
  source: string,
  data: unknown,
  partials: Readonly<Record<string, string>>,
  options: { readonly noEscape?: boolean } = {},
): string {
  const env = envFor(partials);
  const key = `${options.noEscape ? 'r' : 'e'}:${source}`;
  try {
    let fn = env.fns.get(key);
    if (!fn) {
      fn = env.hbs.compile(source, { noEscape: options.noEscape ?? false });
      if (env.fns.size > 64) env.fns.clear();
      env.fns.set(key, fn);
    }
    return fn(data, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  } catch (cause) {
    throw new TemplateError('TEMPLATE_INVALID', `template: ${(cause as Error).message.split('\n')[0]}`, {
      cause,
    });
  }
}

/**
 * Runs MJML over a filled template, validated at level `strict`: any MJML error throws a TemplateError
 * naming the line and the tag. Google Fonts are not pulled in (the theme font is a system stack).
 */
export async function mjmlToHtml(mjml: string): Promise<string> {
  try {
    const result = await mjml2html(mjml, {
      validationLevel: 'strict',
      fonts: {},
      ignoreIncludes: true,
      keepComments: false,
      // Juice would copy the inlined `height: auto` of body images into their height attribute
      // (height="auto"), which Outlook reads as nothing; the renderer writes numeric heights itself.
      juiceOptions: { applyHeightAttributes: false },
    });
    return result.html;
  } catch (cause) {
    const errors = (cause as { errors?: readonly { formattedMessage?: string; message: string }[] }).errors;
    const first = errors?.[0];
    const detail = first ? (first.formattedMessage ?? first.message) : (cause as Error).message;
    throw new TemplateError('TEMPLATE_INVALID', `MJML: ${detail.trim().split('\n')[0]}`, { cause });
  }
}

/**
 * Renders one MJML + Handlebars template to HTML: the Handlebars pass first (escaping `data`), then MJML
 * once, validated strictly. Used for editions and, through the same partials, for the confirmation and
 * welcome emails.
 *
 * @example
 * const html = await renderMjmlTemplate(sources.post, { site, list, post, slot }, sources.partials);
 */
export async function renderMjmlTemplate(
  source: string,
  data: unknown,
  partials: Readonly<Record<string, string>>,
): Promise<string> {
  return mjmlToHtml(fillTemplate(source, data, partials));
}
