import { MultiBar, type SingleBar } from 'cli-progress';
import type { Painter } from './ansi';
import type { CliOutput } from './cli-context';
import { formatProgress, type ProgressView } from './progress-format';

/** Redraws per second: smooth enough to read, cheap enough for 100,000 messages a second. */
const PROGRESS_FPS = 10;

/**
 * The replay progress bar on stderr, drawn by cli-progress. cli-progress's MultiBar is used even
 * for one bar because, unlike SingleBar, it does not save and restore the cursor position, so other
 * lines (messages on a terminal stdout, notes on stderr) can be written between redraws: before
 * such a line the bar's line is cleared, and the next redraw puts the bar back below it.
 */
export class ProgressDisplay {
  private readonly multi: MultiBar;
  private readonly bar: SingleBar;
  private view: ProgressView;
  private drawn = false;

  constructor(
    private readonly stderr: CliOutput,
    initial: ProgressView,
    paint: Painter,
  ) {
    this.view = initial;
    this.multi = new MultiBar({
      stream: stderr as unknown as NodeJS.WritableStream,
      fps: PROGRESS_FPS,
      hideCursor: true,
      // Messages may be longer than the terminal: let them wrap (cli-progress turns wrapping off).
      linewrap: true,
      clearOnComplete: false,
      // The label is ours: cli-progress only draws the line this returns.
      format: () => formatProgress(this.view, paint),
    });
    this.multi.on('redraw-post', () => {
      this.drawn = true;
    });
    this.bar = this.multi.create(Math.max(1, initial.total ?? 1), 0);
  }

  /** Sets what the bar shows; drawn at the next tick. */
  update(view: ProgressView): void {
    this.view = view;
    this.bar.update(view.value);
  }

  /** Clears the bar's line so that a line can be written to the same terminal. */
  clear(): void {
    if (!this.drawn) return;
    this.stderr.write('\r\u001b[2K');
    this.drawn = false;
  }

  /** Draws the final state and leaves it on screen. */
  stop(view: ProgressView = this.view): void {
    this.view = view;
    this.bar.update(view.value);
    this.multi.stop();
  }
}
