/**
 * The browser build of `qrcode` (its package.json "browser" entry). @types/qrcode describes the
 * Node build and pulls Node's types into the renderer, so the little used here is declared.
 */
declare module 'qrcode/lib/browser' {
  export interface SvgOptions {
    readonly type: 'svg';
    readonly errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
    readonly margin?: number;
    readonly color?: { readonly dark?: string; readonly light?: string };
  }
  // biome-ignore lint/suspicious/noShadowRestrictedNames: the package's own export name.
  export function toString(text: string, options: SvgOptions): Promise<string>;
}
