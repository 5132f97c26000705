/**
 * Reads the per-container lines that the backend appends to a failed pod's message.
 *
 * The backend writes, per container that ended abnormally,
 * `\r\n[<container>] terminated with exit code (<n>). Reason [<reason>]. Message: \n<text>.`
 * and, for a container that exited cleanly inside a failed pod,
 * `\r\n[<container>] terminated with ExitCode 0.`. Names are whatever Kubernetes allowed
 * and the text is whatever the kubelet said, so the scanner anchors on the fixed words and
 * on line starts instead of trusting brackets: a name may contain `[` and `]`.
 *
 * Messages can be megabytes of a crashing program's output, and they come from a server,
 * so the scan must stay linear whatever the input. It uses `indexOf` and bounded
 * character loops only, never a regular expression that could backtrack.
 */

/** One container's ending, parsed out of a failure message. */
export interface ContainerTermination {
  /** The container name, exactly as written between the line's first `[` and the marker. */
  readonly container: string;
  /** The exit code, when the line states one. */
  readonly exitCode?: number | undefined;
  /** The Kubernetes reason, for example `OOMKilled` or `Error`. */
  readonly reason?: string | undefined;
  /** The kubelet's text for this container, without the format's closing period. */
  readonly message?: string | undefined;
}

const MARKER = "] terminated with ";
const EXIT_CODE = "exit code (";
const EXIT_CODE_ZERO_STYLE = "ExitCode ";
const REASON = ". Reason [";
const MESSAGE = "]. Message: ";
/** Longest exit code we read; anything longer is not a container line. */
const MAX_DIGITS = 11;
/** Longest Kubernetes reason we read; real reasons are a single CamelCase word. */
const MAX_REASON = 256;

/**
 * What {@link readTail} found on one line: positions into the message, so that a line
 * allocates nothing until it is known to be a container line. One shared record, since
 * a scan never nests.
 */
const tail = { exitCode: 0, reasonStart: -1, reasonEnd: -1, textStart: -1 };

/**
 * Parses every container line in a failure message, in order of appearance. Tolerates
 * `\r\n` and `\n`, any container name (brackets and unicode included), text before and
 * after the lines, and inputs of many megabytes in linear time. Returns `[]` when there are
 * none; never throws.
 */
export function parseContainerLines(message: string): ContainerTermination[] {
  if (typeof message !== "string" || message.length === 0) return [];
  const result: ContainerTermination[] = [];
  // The last line with a `Message:` part: its text runs up to the next container line.
  let open: { message?: string | undefined } | undefined;
  let openText = 0;
  // The line around the current marker: where it starts, and where it ends (its "\n", or
  // the message's end); -1 until the first marker asks for it.
  let lineStart = 0;
  let lineEnd = -1;
  let from = 0;
  for (;;) {
    const at = message.indexOf(MARKER, from);
    if (at === -1) break;
    // Move the line forward only: every newline is found once in total. The first search
    // is made here, not before the loop: when V8 optimised a loop whose newline branch had
    // never run (a run of one-line messages), it re-ran a search made before the loop on
    // every marker, and a one-line megabyte of markers took quadratic time.
    while (lineEnd < at) {
      if (lineEnd !== -1) lineStart = lineEnd + 1;
      const newline = message.indexOf("\n", lineStart);
      lineEnd = newline === -1 ? message.length : newline;
    }
    from = at + 1;
    if (message.charCodeAt(lineStart) !== 0x5b /* [ */) continue;
    if (!readTail(message, at + MARKER.length, lineEnd)) continue;
    if (open !== undefined) open.message = cleanText(message, openText, lineStart);
    // Built in one order, so every termination with the same fields shares one shape.
    const termination: {
      container: string;
      exitCode: number;
      reason?: string | undefined;
      message?: string | undefined;
    } = { container: message.slice(lineStart + 1, at), exitCode: tail.exitCode };
    if (tail.reasonEnd > tail.reasonStart) {
      termination.reason = message.slice(tail.reasonStart, tail.reasonEnd);
    }
    result.push(termination);
    open = tail.textStart === -1 ? undefined : termination;
    openText = tail.textStart;
    // One container per line: the rest of the line belongs to this container.
    if (lineEnd === message.length) break;
    from = lineEnd + 1;
  }
  if (open !== undefined) open.message = cleanText(message, openText, message.length);
  return result;
}

/**
 * Reads `exit code (<n>). Reason [<r>]. Message: ` or `ExitCode <n>.` from `pos` into
 * {@link tail}; false when the line is not a container line.
 */
function readTail(message: string, pos: number, lineEnd: number): boolean {
  tail.reasonStart = -1;
  tail.reasonEnd = -1;
  tail.textStart = -1;
  if (message.startsWith(EXIT_CODE_ZERO_STYLE, pos)) {
    return readInteger(message, pos + EXIT_CODE_ZERO_STYLE.length, lineEnd) !== -1;
  }
  if (!message.startsWith(EXIT_CODE, pos)) return false;
  const end = readInteger(message, pos + EXIT_CODE.length, lineEnd);
  if (end === -1 || message.charCodeAt(end) !== 0x29 /* ) */) return false;
  let cursor = end + 1;
  if (!message.startsWith(REASON, cursor)) return true;
  cursor += REASON.length;
  const limit = Math.min(lineEnd, cursor + MAX_REASON);
  let close = cursor;
  while (close < limit && message.charCodeAt(close) !== 0x5d /* ] */) close++;
  if (close >= limit) return true;
  tail.reasonStart = cursor;
  tail.reasonEnd = close;
  if (!message.startsWith(MESSAGE, close)) return true;
  let textStart = close + MESSAGE.length;
  if (message.charCodeAt(textStart) === 0x0d /* \r */) textStart++;
  if (message.charCodeAt(textStart) === 0x0a /* \n */) textStart++;
  tail.textStart = textStart;
  return true;
}

/**
 * An optionally signed decimal integer of at most {@link MAX_DIGITS} digits at `pos`, into
 * `tail.exitCode`; returns where it ends, or -1 when there is none.
 */
function readInteger(message: string, pos: number, lineEnd: number): number {
  let cursor = pos;
  if (message.charCodeAt(cursor) === 0x2d /* - */) cursor++;
  const digitsStart = cursor;
  while (cursor < lineEnd && cursor - digitsStart < MAX_DIGITS) {
    const c = message.charCodeAt(cursor);
    if (c < 0x30 || c > 0x39) break;
    cursor++;
  }
  if (cursor === digitsStart) return -1;
  tail.exitCode = Number(message.slice(pos, cursor));
  return cursor;
}

/** The container's text without the line break before the next line and the closing `.`. */
function cleanText(message: string, start: number, end: number): string {
  let stop = end;
  while (stop > start) {
    const c = message.charCodeAt(stop - 1);
    if (c !== 0x0a && c !== 0x0d) break;
    stop--;
  }
  if (stop > start && message.charCodeAt(stop - 1) === 0x2e /* . */) stop--;
  return message.slice(start, stop);
}
