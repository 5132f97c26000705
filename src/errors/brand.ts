/**
 * Brand checks that survive two copies of the package and `node:vm` realms.
 *
 * `instanceof` compares prototype identity, which fails as soon as an error crosses a
 * duplicated dependency or a realm. Every class instead registers its name and its
 * ancestors' names under a `Symbol.for` key on its prototype; registry symbols are shared
 * by every copy and every realm of the same process, so a check only needs the key. A
 * look-alike object without the key is rejected, whatever its `name` says.
 */

import type { ErrorKind } from "./fields.js";

/** On each prototype: the frozen lineage of class names, most derived first. */
export const BRAND: unique symbol = Symbol.for("flyte-remote.error") as never;
/** On each class: its own {@link ClassMeta}. */
export const META: unique symbol = Symbol.for("flyte-remote.error.meta") as never;
/** On each branded class: the name its instances' lineage must include. */
const BRAND_NAME: unique symbol = Symbol.for("flyte-remote.error.class") as never;

/** The defaults a class documents: code, kind, retryable, HTTP status, message and hint. */
export interface ClassMeta {
  readonly name: string;
  readonly code: string;
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  /** The HTTP status of its problem details. */
  readonly status: number;
  readonly defaultMessage: string;
  readonly hint: string;
}

/** Any class constructor, abstract or with a protected constructor. */
type Branded = { readonly prototype: object };

const registry = new Map<string, Branded>();

/** Marks the abstract root, which has a lineage but no defaults. */
export function brandRoot(cls: Branded, name: string): void {
  Object.defineProperty(cls.prototype, BRAND, { value: Object.freeze([name]) });
  Object.defineProperty(cls, BRAND_NAME, { value: name });
}

/**
 * Gives a class its runtime `name`, its lineage and its defaults, and registers it so its
 * defaults can be found by name. (`FlyteError.fromJSON` revives from an explicit table in
 * `any-flyte-error.ts` instead, so tree-shaking can never drop a class it needs.)
 */
export function brandClass(cls: Branded, name: string, meta: Omit<ClassMeta, "name">): void {
  const parent = Object.getPrototypeOf(cls.prototype) as {
    [BRAND]?: readonly string[] | undefined;
  };
  Object.defineProperty(cls.prototype, "name", {
    value: name,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  Object.defineProperty(cls.prototype, BRAND, {
    value: Object.freeze([name, ...(parent[BRAND] ?? [])]),
  });
  Object.defineProperty(cls, BRAND_NAME, { value: name });
  Object.defineProperty(cls, META, { value: Object.freeze({ name, ...meta }) });
  registry.set(name, cls);
}

/** The class registered under `name`, if any. */
export function lookupClass(name: string): Branded | undefined {
  return registry.get(name);
}

/** The defaults of a registered class. */
export function metaOf(cls: Branded): ClassMeta {
  return (cls as unknown as { [META]: ClassMeta })[META];
}

/**
 * True when `value` carries the registered brand of the class called `name`. Helpers use
 * it instead of `instanceof` so they need no runtime import of the classes themselves.
 */
export function hasLineage(value: unknown, name: string): boolean {
  if (typeof value !== "object" || value === null) return false;
  try {
    // Instances inherit the lineage from their class's prototype; the prototype itself,
    // which owns it, is not an error.
    if (Object.hasOwn(value, BRAND)) return false;
    const lineage = (value as { [BRAND]?: unknown | undefined })[BRAND];
    return Array.isArray(lineage) && lineage.includes(name);
  } catch {
    // A hostile proxy may throw from a trap; it is not one of ours.
    return false;
  }
}

/**
 * The body of every class's `Symbol.hasInstance`. A user's own subclass has no brand name
 * of its own, so it falls back to the ordinary prototype check.
 */
export function hasBrand(cls: Branded, value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  try {
    if (Function.prototype[Symbol.hasInstance].call(cls as unknown as () => void, value))
      return true;
  } catch {
    // A proxy whose getPrototypeOf trap throws is not one of ours either.
    return false;
  }
  if (!Object.hasOwn(cls, BRAND_NAME)) return false;
  return hasLineage(value, (cls as unknown as { [BRAND_NAME]: string })[BRAND_NAME]);
}
