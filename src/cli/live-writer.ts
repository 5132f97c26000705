/**
 * Drives an in-place view on a terminal: redraws on a timer so spinners turn and clocks
 * tick, and shows the cursor again however the view ends. What a frame looks like is
 * the caller's pure render function; this class only owns the timer and the escapes.
 *
 * @module
 */

import type { OutputStream } from "./cli-io.js";
import { repaint } from "./live-view.js";

/**
 * Whether `stream` can take an in-place view: a terminal that moves its cursor. `TERM=dumb`
 * (Emacs shell buffers, some CI consoles) is a terminal that does not, and would show the
 * escapes as garbage, so it gets plain log lines like a pipe.
 */
export function canRedraw(
  stream: OutputStream,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return stream.isTTY === true && env.TERM !== "dumb";
}

/** The width to lay text out for on `stream`: a terminal's columns, none for anything else. */
export function layoutWidth(stream: OutputStream): number | undefined {
  const columns = stream.columns;
  return stream.isTTY === true && columns !== undefined && columns > 0 ? columns : undefined;
}

/** Renders one frame: `frame` picks the spinner, `width` is the terminal's, if known. */
export type FrameRenderer = (frame: number, now: number, width: number | undefined) => string[];

/** Milliseconds between frames. */
const frameIntervalMs = 80;

/** Repaints a view in place on `stream` until stopped. */
export class LiveWriter {
  private frame = 0;
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: OutputStream,
    private readonly render: FrameRenderer,
  ) {}

  /** Hides the cursor and starts ticking. */
  start(): void {
    this.stream.write("\x1b[?25l");
    this.draw();
    this.timer = setInterval(() => {
      this.frame++;
      this.draw();
    }, frameIntervalMs);
    // The view must never keep the process alive on its own.
    this.timer.unref();
  }

  /** Draws now, e.g. right after a phase change. */
  draw(): void {
    // A pseudo-terminal without a size reports 0 columns: then do not cut at all.
    const lines = this.render(this.frame, Date.now(), layoutWidth(this.stream));
    this.stream.write(repaint(this.drawn, lines));
    this.drawn = lines.length;
  }

  /** Prints `line` above the live view, which is redrawn below it. */
  log(line: string): void {
    const columns = this.stream.columns;
    const lines = this.render(
      this.frame,
      Date.now(),
      columns !== undefined && columns > 0 ? columns : undefined,
    );
    this.stream.write(repaint(this.drawn, [line, ...lines]));
    this.drawn = lines.length;
  }

  /** Draws the last frame, stops ticking and shows the cursor again. Idempotent. */
  stop(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.draw();
    this.stream.write("\x1b[?25h");
  }
}
