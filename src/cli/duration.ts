/**
 * Durations on the command line (`--timeout 30m`, `1h30m`, `1500ms`) and elapsed times
 * in progress lines.
 *
 * @module
 */

const unitMs: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses `30m`, `1.5s`, `1h30m` or `250ms` into milliseconds. A bare number is refused:
 * `--timeout 30` could mean seconds or minutes, and guessing wrong is worse than asking.
 * Returns an explanation instead of throwing, so the caller can name the flag.
 */
export function parseDuration(text: string): number | { readonly error: string } {
  const input = text.trim();
  const part = /(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(input); match !== null; match = part.exec(input)) {
    total += Number(match[1]) * (unitMs[match[2] ?? ""] ?? Number.NaN);
    consumed = part.lastIndex;
  }
  if (input === "" || consumed !== input.length || !Number.isFinite(total)) {
    const hint = /^\d+(\.\d+)?$/.test(input) ? ` (did you mean ${input}s or ${input}m?)` : "";
    return {
      error: `"${text}" is not a duration; use a number with a unit: 1500ms, 30s, 30m, 1h30m${hint}`,
    };
  }
  return Math.round(total);
}

/**
 * Formats an elapsed time for people: `0.4s`, `12.3s`, `2m05s`, `1h02m`. Precision
 * shrinks as the number grows, so a ticking line does not jitter.
 */
export function formatElapsed(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 60_000) return `${(Math.floor(safe / 100) / 10).toFixed(1)}s`;
  const totalSeconds = Math.floor(safe / 1000);
  if (totalSeconds < 3600) {
    return `${Math.floor(totalSeconds / 60)}m${String(totalSeconds % 60).padStart(2, "0")}s`;
  }
  const totalMinutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)}h${String(totalMinutes % 60).padStart(2, "0")}m`;
}
