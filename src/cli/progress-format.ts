import type { Painter } from './ansi';

/** Width of the bar itself, in columns. */
export const PROGRESS_BAR_WIDTH = 30;

/** What the replay progress line shows. */
export interface ProgressView {
  /** Messages received so far. */
  readonly value: number;
  /** The window's size, or `undefined` when unknown (no /info). */
  readonly total: number | undefined;
  /** The size is an upper bound (a time window may end earlier). */
  readonly upperBound: boolean;
  /** What is being replayed, e.g. `Q seqs 10–29`. */
  readonly label: string;
}

/**
 * The progress line of `hmb replay`:
 * `████████░░░░ 40% | 400/1000 messages | Q seqs 0–999`. With an upper bound the count reads
 * `400/≤1000`; without a size only the count is shown. Pure, so it is tested without a terminal;
 * cli-progress only draws it.
 *
 * @example
 * ```ts
 * formatProgress({ value: 5, total: 10, upperBound: false, label: 'Q' }, painter(false), 10);
 * // '█████░░░░░  50% | 5/10 messages | Q'
 * ```
 */
export function formatProgress(
  view: ProgressView,
  paint: Painter,
  width = PROGRESS_BAR_WIDTH,
): string {
  const noun = view.value === 1 && view.total === undefined ? 'message' : 'messages';
  if (view.total === undefined)
    return `${paint('cyan', String(view.value))} ${noun} | ${view.label}`;
  // More than expected arrives when the queue grows during the replay: the bar stays full.
  const ratio = view.total === 0 ? 1 : Math.min(1, view.value / view.total);
  const done = Math.round(ratio * width);
  const bar = paint('cyan', '█'.repeat(done)) + paint('gray', '░'.repeat(width - done));
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  const of = `${view.upperBound ? '≤' : ''}${Math.max(view.total, view.value)}`;
  return `${bar} ${percent} | ${view.value}/${of} ${noun} | ${view.label}`;
}
