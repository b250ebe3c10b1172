/** The parts of postman-code-generators (no types of its own) the explorer uses. */
declare module 'postman-code-generators' {
  export interface CodegenLanguage {
    key: string;
    label: string;
    syntax_mode: string;
    variants: { key: string }[];
  }
  export interface CodegenOption {
    id: string;
    name: string;
    type: 'boolean' | 'enum' | 'positiveInteger' | 'string';
    default: unknown;
    description: string;
    availableOptions?: unknown[];
  }
  export function getLanguageList(): CodegenLanguage[];
  export function getOptions(language: string, variant: string, callback: (error: unknown, options: CodegenOption[]) => void): void;
  export function convert(
    language: string,
    variant: string,
    request: unknown,
    options: Record<string, unknown>,
    callback: (error: unknown, snippet: string) => void,
  ): void;
}
