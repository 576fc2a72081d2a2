/** Colours the templates use besides the site's brand colour; `templates/theme.json` holds the defaults. */
export interface Theme {
  readonly background: string;
  readonly card: string;
  readonly text: string;
  readonly muted: string;
  readonly border: string;
  readonly codeBackground: string;
  readonly dark: {
    readonly background: string;
    readonly card: string;
    readonly text: string;
    readonly muted: string;
    readonly border: string;
    readonly link: string;
  };
}

/**
 * The template sources, read from `templates/` by an adapter (core does no I/O). `post` and `digest` are
 * MJML with Handlebars; partials are keyed by name (`head`, `preheader`, `header`, `footer`, `media-card`).
 */
/** The MJML sources of the subscriber-journey emails (templates/confirm.mjml, templates/welcome.mjml). */
export interface JourneyTemplates {
  readonly confirm: string;
  readonly welcome: string;
  readonly partials: Readonly<Record<string, string>>;
  readonly theme: Theme;
}

export interface TemplateSources {
  readonly post: string;
  readonly digest: string;
  readonly partials: Readonly<Record<string, string>>;
  readonly theme: Theme;
  /**
   * Handlebars templates for the subject and preheader (plain text, no escaping; the result is cut to one
   * line). Data: `site`, `list`, `post` (the first post), `posts`, `count`, `one`. Default: DEFAULT_SUBJECTS.
   */
  readonly subjects?: {
    readonly post: { readonly subject: string; readonly preheader: string };
    readonly digest: { readonly subject: string; readonly preheader: string };
  };
}

/** The partials every template expects; the adapter refuses a templates folder that lacks one. */
export const REQUIRED_PARTIALS = ['head', 'preheader', 'header', 'footer', 'media-card'] as const;
