/**
 * Secret scrubbing for everything an error carries out of the process.
 *
 * Errors travel further than the code that raised them: into logs, JSON queues, problem
 * details sent to browsers, bug reports. So every serialiser in this folder runs its text
 * through {@link redactSecrets} and its key-value data through {@link isSecretName}, and the
 * decode layer uses {@link redactHeaders} on RPC metadata before it lands in `details`.
 */

/** What a redacted value is replaced with. */
export const REDACTED = "[REDACTED]";

const SECRET_NAMES = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
]);
const SECRET_PARTS = ["token", "secret", "key", "password", "passwd", "credential", "cookie"];

/**
 * True for a header or field name whose value must never be shown: the credential headers
 * (`authorization`, `proxy-authorization`, `cookie`, `set-cookie`, `x-api-key`) and any name
 * containing `token`, `secret`, `key`, `password`, `credential` or `cookie`. Case-insensitive.
 * It errs on the side of hiding: a redacted `cacheKey` costs less than a leaked one.
 */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_NAMES.has(lower) || SECRET_PARTS.some((part) => lower.includes(part));
}

/** Anything header-shaped: fetch `Headers` (Connect metadata), a record, or entry pairs. */
export type HeadersLike =
  | { forEach(callback: (value: string, name: string) => void): void }
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | Iterable<readonly [string, string]>;

/**
 * Copies headers into a plain record, with the value of every secret header (see
 * {@link isSecretName}) replaced by `"[REDACTED]"` and bearer tokens scrubbed from the
 * others. Names are lower-cased; repeated headers are joined with `", "`. Never throws: an
 * unreadable input gives what could be read.
 */
export function redactHeaders(headers: HeadersLike): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (name: unknown, value: unknown): void => {
    if (typeof name !== "string" || value === undefined) return;
    const key = name.toLowerCase();
    const text = Array.isArray(value) ? value.map(String).join(", ") : String(value);
    const safe = isSecretName(key) ? REDACTED : redactSecrets(text);
    const prior = Object.hasOwn(out, key) ? out[key] : undefined;
    const joined = prior === undefined || prior === REDACTED ? safe : `${prior}, ${safe}`;
    Object.defineProperty(out, key, {
      value: joined,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  };
  try {
    if (isHeaders(headers)) {
      headers.forEach((value, name) => {
        add(name, value);
      });
    } else if (isIterable(headers)) {
      for (const entry of headers) {
        if (Array.isArray(entry)) add(entry[0], entry[1]);
      }
    } else {
      for (const name of Object.keys(headers)) {
        add(name, (headers as Record<string, unknown>)[name]);
      }
    }
  } catch {
    // Keep what was read before the input misbehaved.
  }
  return out;
}

function isHeaders(value: HeadersLike): value is {
  forEach(callback: (value: string, name: string) => void): void;
} {
  return (
    typeof (value as { forEach?: unknown | undefined }).forEach === "function" &&
    !Array.isArray(value) &&
    !(value instanceof Map)
  );
}

function isIterable(value: HeadersLike): value is Iterable<readonly [string, string]> {
  return (
    typeof (value as { [Symbol.iterator]?: unknown | undefined })[Symbol.iterator] === "function"
  );
}

// Every pattern below must run in linear time and bounded stack: messages come from servers
// and can be large and hostile. A regular expression therefore only finds a fixed keyword;
// the credential after it, the `name = value` assignments and bare JWTs are read by
// scanners, because a greedy quantifier over a megabyte-long run overflows V8's
// backtracking stack.

// The keyword of `Bearer <token>` and `Basic <credentials>`; see looksLikeCredential.
const SCHEME = /\b(Bearer|Basic|Token)([ \t]+)/gi;
// `authorization: <anything up to the end of the line>`, as in dumped headers.
const AUTH_HEADER =
  /\b((?:proxy-)?authorization|cookie|set-cookie|x-api-key)(["']?[ \t]*[:=][ \t]*["']?)(?!\[REDACTED\])[^\s"'][^\r\n"']*/gi;
// Names whose value is a secret in `name=value` and `"name": "value"` text.
// Found directly, not by testing every word: most text has none of them.
const SECRET_WORD =
  /token|secret|passw(?:or)?d|api[_-]?key|access[_-]?key|private[_-]?key|credential/gi;
// Every keyword the passes below start from, in one pass: most messages hold none of them,
// and then one scan replaces five. It must stay a superset of those keywords. `key` counts
// only in the names the passes know (`x-api-key`, `api_key`, `accessKey`, `private-key`):
// a bare `key` matched every Python `KeyError`, and ran all five scans for nothing.
const MAY_HOLD_SECRET =
  /authorization|cookie|(?:api|access|private)[_-]?key|bearer|basic|token|secret|passw|credential|eyJ/i;
const VALUE_END = new Set([" ", "\t", "\r", "\n", '"', "'", "&", ",", ";", "}"]);

/**
 * Scrubs credentials out of free text: `Bearer`/`Basic` credentials, dumped authorization
 * and cookie headers, `token=…`/`secret: …`/`api_key=…` assignments, and bare JWTs. The
 * surrounding text is kept so the message still reads. Idempotent, and linear in the length
 * of the text.
 */
export function redactSecrets(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  const headers = text.replace(
    AUTH_HEADER,
    (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`,
  );
  return redactJwts(redactAssignments(redactSchemeCredentials(headers)));
}

/** Characters of a bearer or basic credential. */
function isCredentialChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || // 0-9
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    c === 46 || // .
    c === 95 || // _
    c === 126 || // ~
    c === 43 || // +
    c === 47 || // /
    c === 61 || // =
    c === 45 // -
  );
}

/** Characters of a JWT segment (base64url). */
function isJwtChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45
  );
}

/** `Bearer <credential>` → `Bearer [REDACTED]`, when the credential is not an English word. */
function redactSchemeCredentials(text: string): string {
  let out = "";
  let copied = 0;
  SCHEME.lastIndex = 0;
  for (let match = SCHEME.exec(text); match !== null; match = SCHEME.exec(text)) {
    const start = SCHEME.lastIndex;
    let end = start;
    while (end < text.length && isCredentialChar(text.charCodeAt(end))) end++;
    if (
      end - start < 6 ||
      !looksLikeCredential(text.slice(start, Math.min(end, start + 64)), end - start)
    ) {
      continue;
    }
    out += `${text.slice(copied, start)}${REDACTED}`;
    copied = end;
    SCHEME.lastIndex = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * A JSON Web Token on its own: three base64url segments joined by dots, the first starting
 * with `eyJ` (a JSON object's `{"`), not inside a longer word.
 */
function redactJwts(text: string): string {
  let out = "";
  let copied = 0;
  let at = text.indexOf("eyJ");
  while (at !== -1) {
    const before = at > 0 ? text.charCodeAt(at - 1) : -1;
    let end = at;
    if (before === -1 || !isJwtChar(before)) {
      const first = segmentEnd(text, at);
      if (first - at >= 7 && text[first] === ".") {
        const second = segmentEnd(text, first + 1);
        // A token with an empty JSON payload has a short middle (`e30` is `{}`).
        if (
          second > first + 1 &&
          (second - first - 1 >= 4 || second - at >= 20) &&
          text[second] === "."
        ) {
          end = segmentEnd(text, second + 1);
          out += `${text.slice(copied, at)}${REDACTED}`;
          copied = end;
        } else {
          end = second;
        }
      } else {
        end = first;
      }
    }
    at = text.indexOf("eyJ", Math.max(end, at + 3));
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function segmentEnd(text: string, from: number): number {
  let end = from;
  while (end < text.length && isJwtChar(text.charCodeAt(end))) end++;
  return end;
}

/**
 * Replaces the value of every `name = value`, `name: value` or `"name": "value"` whose name
 * looks secret (`access_token`, `client_secret`, `password`, `api_key`...). A scanner, so
 * that a long run of word characters is read once, not once per position.
 */
function redactAssignments(text: string): string {
  let out = "";
  let copied = 0;
  SECRET_WORD.lastIndex = 0;
  for (let match = SECRET_WORD.exec(text); match !== null; match = SECRET_WORD.exec(text)) {
    // The secret-looking part may sit inside a longer name (`client_secret`): read on to
    // the end of the name before looking for its value.
    let at = SECRET_WORD.lastIndex;
    while (at < text.length && isNameChar(text.charCodeAt(at))) at++;
    SECRET_WORD.lastIndex = at;
    if (text[at] === '"' || text[at] === "'") at++;
    while (text[at] === " " || text[at] === "\t") at++;
    if (text[at] !== ":" && text[at] !== "=") continue;
    at++;
    while (text[at] === " " || text[at] === "\t") at++;
    if (text[at] === '"' || text[at] === "'") at++;
    if (text.startsWith(REDACTED, at)) continue;
    let end = at;
    while (end < text.length && !VALUE_END.has(text[end] as string)) end++;
    if (end === at) continue;
    out += `${text.slice(copied, at)}${REDACTED}`;
    copied = end;
    SECRET_WORD.lastIndex = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Characters of a name in `name=value`: word characters and `-`. */
function isNameChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45
  );
}

/**
 * Tells a credential from an English word after `Basic` or `Bearer` ("Basic authentication
 * failed" must stay readable): credentials are long, or mix in digits, punctuation or
 * capitals past the first letter.
 */
function looksLikeCredential(value: string, length = value.length): boolean {
  return length >= 20 || /[0-9._~+/=-]/.test(value) || /[A-Z]/.test(value.slice(1));
}
