/**
 * Terminal colours, written by hand: a dozen SGR codes do not justify a dependency, and keeping
 * the switch (`enabled`) explicit makes every formatter a pure function of its inputs.
 */
const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
} as const;

/** A colour or weight the formatters use. */
export type AnsiStyle = keyof typeof CODES;

/** Paints text with styles; the identity when colours are off. */
export type Painter = (style: AnsiStyle, text: string) => string;

/**
 * A painter that adds ANSI codes when `enabled`, or leaves text as it is.
 *
 * @example
 * ```ts
 * painter(true)('red', 'x'); // '\u001b[31mx\u001b[39m'
 * painter(false)('red', 'x'); // 'x'
 * ```
 */
export function painter(enabled: boolean): Painter {
  if (!enabled) return (_style, text) => text;
  return (style, text) => {
    const [open, close] = CODES[style];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
}

// CSI sequences (colours, cursor moves): what a terminal shows as nothing.
// eslint-disable-next-line no-control-regex
const ANSI_SEQUENCE = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** The text without ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_SEQUENCE, '');
}

/** How many columns the text takes on a terminal (ANSI codes take none). */
export function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length;
}

/**
 * Whether to colour a stream: only a terminal, and never when `NO_COLOR` is set to a non-empty
 * value (https://no-color.org).
 */
export function colorWanted(
  stream: { readonly isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  const noColor = env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  return stream.isTTY === true;
}
