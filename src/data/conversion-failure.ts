/**
 * Why a value could not be converted, and where inside it. The converters throw this; the
 * code that knows the variable and the task turns it into a RuntimeDataValidationError, so a
 * failure deep in a list of maps still names the input or output it belongs to.
 */

/** A conversion failure at a path inside one variable's value. */
export class ConversionFailure extends Error {
  override readonly name = "ConversionFailure";
  /** Where inside the value, e.g. `[2].weights["a"]`; empty at the top. */
  readonly path: string;
  readonly reason: string;
  constructor(reason: string, path = "") {
    super(path === "" ? reason : `${reason} (at ${path})`);
    this.reason = reason;
    this.path = path;
  }
}

/** The path of an element of a list. */
export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** The path of a value of a map: `.name` for identifiers, `["odd key"]` otherwise. */
export function keyPath(path: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)
    ? `${path}.${key}`
    : `${path}[${JSON.stringify(key)}]`;
}

/** A short description of a JS value for messages: its kind and a clipped rendering. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  switch (typeof value) {
    case "string":
      return `string ${clip(JSON.stringify(value))}`;
    case "number":
      return `number ${String(value)}`;
    case "bigint":
      return `bigint ${String(value)}n`;
    case "boolean":
      return `boolean ${String(value)}`;
    case "function":
    case "symbol":
      return `a ${typeof value}`;
    default:
      break;
  }
  if (value instanceof Date)
    return `Date ${Number.isNaN(value.getTime()) ? "(invalid)" : value.toISOString()}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  const proto = Object.getPrototypeOf(value) as {
    constructor?: { name?: string | undefined } | undefined;
  } | null;
  if (proto !== null && proto !== Object.prototype) {
    return `a ${proto.constructor?.name || "class instance"}`;
  }
  return `an object with keys ${clip(Object.keys(value as object).join(", ") || "(none)")}`;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
