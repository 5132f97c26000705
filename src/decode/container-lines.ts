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
  readonly exitCode?: number;
  /** The Kubernetes reason, for example `OOMKilled` or `Error`. */
  readonly reason?: string;
  /** The kubelet's text for this container, without the format's closing period. */
  readonly message?: string;
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

interface Hit {
  /** Where the line holding the marker starts. */
  readonly lineStart: number;
  readonly termination: Omit<ContainerTermination, "message">;
  /** Where this container's free text starts, when the line has a `Message:` part. */
  readonly textStart?: number;
}

/**
 * Parses every container line in a failure message, in order of appearance. Tolerates
 * `\r\n` and `\n`, any container name (brackets and unicode included), text before and
 * after the lines, and inputs of many megabytes in linear time. Returns `[]` when there are
 * none; never throws.
 */
export function parseContainerLines(message: string): ContainerTermination[] {
  if (typeof message !== "string" || message.length === 0) return [];
  const hits = findHits(message);
  const result: ContainerTermination[] = [];
  for (let i = 0; i < hits.length; i++) {
    const hit = hits[i]!;
    if (hit.textStart === undefined) {
      result.push(hit.termination);
      continue;
    }
    const next = hits[i + 1];
    const end = next === undefined ? message.length : next.lineStart;
    result.push({ ...hit.termination, message: cleanText(message, hit.textStart, end) });
  }
  return result;
}

/** One pass over the message: each marker whose line starts with `[` and whose tail parses. */
function findHits(message: string): Hit[] {
  const hits: Hit[] = [];
  let lineStart = 0;
  let nextNewline = message.indexOf("\n");
  let from = 0;
  for (;;) {
    const at = message.indexOf(MARKER, from);
    if (at === -1) break;
    // Move the line start forward only: every newline is visited once in total.
    while (nextNewline !== -1 && nextNewline < at) {
      lineStart = nextNewline + 1;
      nextNewline = message.indexOf("\n", lineStart);
    }
    const lineEnd = nextNewline === -1 ? message.length : nextNewline;
    from = at + 1;
    if (message.charCodeAt(lineStart) !== 0x5b /* [ */) continue;
    const parsed = parseTail(message, at + MARKER.length, lineEnd);
    if (parsed === undefined) continue;
    const container = message.slice(lineStart + 1, at);
    hits.push({
      lineStart,
      termination: { container, ...parsed.fields },
      ...(parsed.textStart === undefined ? {} : { textStart: parsed.textStart }),
    });
    // One container per line: the rest of the line belongs to this container.
    if (nextNewline === -1) break;
    from = lineEnd + 1;
  }
  return hits;
}

interface Tail {
  readonly fields: { exitCode?: number; reason?: string };
  readonly textStart?: number;
}

/** Reads `exit code (<n>). Reason [<r>]. Message: ` or `ExitCode <n>.` from `pos`. */
function parseTail(message: string, pos: number, lineEnd: number): Tail | undefined {
  if (message.startsWith(EXIT_CODE_ZERO_STYLE, pos)) {
    const code = readInteger(message, pos + EXIT_CODE_ZERO_STYLE.length, lineEnd);
    return code === undefined ? undefined : { fields: { exitCode: code.value } };
  }
  if (!message.startsWith(EXIT_CODE, pos)) return undefined;
  const code = readInteger(message, pos + EXIT_CODE.length, lineEnd);
  if (code === undefined || message.charCodeAt(code.end) !== 0x29 /* ) */) return undefined;
  let cursor = code.end + 1;
  if (!message.startsWith(REASON, cursor)) return { fields: { exitCode: code.value } };
  cursor += REASON.length;
  const limit = Math.min(lineEnd, cursor + MAX_REASON);
  let close = cursor;
  while (close < limit && message.charCodeAt(close) !== 0x5d /* ] */) close++;
  if (close >= limit) return { fields: { exitCode: code.value } };
  const reason = message.slice(cursor, close);
  const fields = { exitCode: code.value, ...(reason === "" ? {} : { reason }) };
  if (!message.startsWith(MESSAGE, close)) return { fields };
  let textStart = close + MESSAGE.length;
  if (message.charCodeAt(textStart) === 0x0d /* \r */) textStart++;
  if (message.charCodeAt(textStart) === 0x0a /* \n */) textStart++;
  return { fields, textStart };
}

/** An optionally signed decimal integer of at most {@link MAX_DIGITS} digits. */
function readInteger(
  message: string,
  pos: number,
  lineEnd: number,
): { value: number; end: number } | undefined {
  let cursor = pos;
  if (message.charCodeAt(cursor) === 0x2d /* - */) cursor++;
  const digitsStart = cursor;
  while (cursor < lineEnd && cursor - digitsStart < MAX_DIGITS) {
    const c = message.charCodeAt(cursor);
    if (c < 0x30 || c > 0x39) break;
    cursor++;
  }
  if (cursor === digitsStart) return undefined;
  return { value: Number(message.slice(pos, cursor)), end: cursor };
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
