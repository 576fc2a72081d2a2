// mjml 5 ships no type declarations; this is the part of its API tidings uses.
declare module 'mjml' {
  export interface MjmlError {
    readonly line: number;
    readonly message: string;
    readonly tagName: string;
    readonly formattedMessage: string;
  }
  export interface MjmlOptions {
    readonly validationLevel?: 'strict' | 'soft' | 'skip';
    readonly fonts?: Readonly<Record<string, string>>;
    readonly keepComments?: boolean;
    readonly beautify?: boolean;
    readonly minify?: boolean;
    readonly ignoreIncludes?: boolean;
    readonly filePath?: string;
    readonly juiceOptions?: Readonly<Record<string, unknown>>;
  }
  export interface MjmlResult {
    readonly html: string;
    readonly errors: readonly MjmlError[];
  }
  export default function mjml2html(input: string, options?: MjmlOptions): Promise<MjmlResult>;
}
