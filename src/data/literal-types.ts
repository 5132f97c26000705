/**
 * Flyte literal types: builders for the common ones, so a caller can state a task's
 * interface without hand-writing protobuf, and a description in Python's words
 * (`list[int]`, `Optional[str]`) for error messages.
 */

import { create, type JsonObject } from "@bufbuild/protobuf";
import { type TypedInterface, TypedInterfaceSchema } from "../gen/flyteidl2/core/interface_pb.js";
import {
  BlobType_BlobDimensionality,
  type LiteralType,
  LiteralTypeSchema,
  SimpleType,
} from "../gen/flyteidl2/core/types_pb.js";

function simple(value: SimpleType): LiteralType {
  return create(LiteralTypeSchema, { type: { case: "simple", value } });
}

/**
 * Builders of the Flyte types a task's interface uses, named as in Python.
 *
 * @example
 * ```ts
 * const iface = taskInterface({ inputs: { n: types.int, tags: types.list(types.str) } });
 * ```
 */
export const types = {
  int: simple(SimpleType.INTEGER),
  float: simple(SimpleType.FLOAT),
  str: simple(SimpleType.STRING),
  bool: simple(SimpleType.BOOLEAN),
  datetime: simple(SimpleType.DATETIME),
  timedelta: simple(SimpleType.DURATION),
  none: simple(SimpleType.NONE),
  /** A dataclass, a pydantic model or an untyped dict: sent as msgpack. */
  struct(title?: string): LiteralType {
    return create(LiteralTypeSchema, {
      type: { case: "simple", value: SimpleType.STRUCT },
      ...(title === undefined ? {} : { metadata: { title } }),
    });
  },
  list(item: LiteralType): LiteralType {
    return create(LiteralTypeSchema, { type: { case: "collectionType", value: item } });
  },
  dict(value: LiteralType): LiteralType {
    return create(LiteralTypeSchema, { type: { case: "mapValueType", value } });
  },
  /** A string enum; the values are the members' names. */
  enum(values: readonly string[]): LiteralType {
    return create(LiteralTypeSchema, {
      type: { case: "enumType", value: { values: [...values] } },
    });
  },
  file(format = ""): LiteralType {
    return create(LiteralTypeSchema, {
      type: { case: "blob", value: { format, dimensionality: BlobType_BlobDimensionality.SINGLE } },
    });
  },
  dir(format = ""): LiteralType {
    return create(LiteralTypeSchema, {
      type: {
        case: "blob",
        value: { format, dimensionality: BlobType_BlobDimensionality.MULTIPART },
      },
    });
  },
  dataframe(format = "parquet"): LiteralType {
    return create(LiteralTypeSchema, {
      type: { case: "structuredDatasetType", value: { format } },
    });
  },
  union(...variants: LiteralType[]): LiteralType {
    return create(LiteralTypeSchema, { type: { case: "unionType", value: { variants } } });
  },
  /** `T | None`. */
  optional(type: LiteralType): LiteralType {
    return types.union(type, types.none);
  },
} as const;

/** What {@link taskInterface} takes: variable names to types, in declaration order. */
export interface InterfaceSpec {
  readonly inputs?: Readonly<Record<string, LiteralType>> | undefined;
  readonly outputs?: Readonly<Record<string, LiteralType>> | undefined;
}

/** Builds a task's typed interface, for `createRun({ interface })`. */
export function taskInterface(spec: InterfaceSpec): TypedInterface {
  const vars = (m: Readonly<Record<string, LiteralType>> = {}) => ({
    variables: Object.entries(m).map(([key, type]) => ({ key, value: { type } })),
  });
  return create(TypedInterfaceSchema, { inputs: vars(spec.inputs), outputs: vars(spec.outputs) });
}

const simpleNames: Record<number, string> = {
  [SimpleType.NONE]: "None",
  [SimpleType.INTEGER]: "int",
  [SimpleType.FLOAT]: "float",
  [SimpleType.STRING]: "str",
  [SimpleType.BOOLEAN]: "bool",
  [SimpleType.DATETIME]: "datetime",
  [SimpleType.DURATION]: "timedelta",
  [SimpleType.BINARY]: "bytes",
  [SimpleType.ERROR]: "error",
  [SimpleType.STRUCT]: "struct",
};

/** Whether a type is `None`. */
export function isNoneType(type: LiteralType): boolean {
  return type.type.case === "simple" && type.type.value === SimpleType.NONE;
}

/** A type in Python's words: `int`, `list[str]`, `dict[str, float]`, `Optional[File]`. */
export function describeType(type: LiteralType | undefined, depth = 0): string {
  if (type === undefined) return "unknown";
  if (depth > 20) return "…";
  const t = type.type;
  switch (t.case) {
    case "simple": {
      if (t.value === SimpleType.STRUCT) {
        const title = (type.metadata as JsonObject | undefined)?.title;
        return typeof title === "string" && title !== "" ? title : "struct";
      }
      return simpleNames[t.value] ?? `simple(${t.value})`;
    }
    case "collectionType":
      return `list[${describeType(t.value, depth + 1)}]`;
    case "mapValueType":
      return `dict[str, ${describeType(t.value, depth + 1)}]`;
    case "blob": {
      const base =
        t.value.dimensionality === BlobType_BlobDimensionality.MULTIPART ? "Dir" : "File";
      return t.value.format === "" ? base : `${base}[${t.value.format}]`;
    }
    case "enumType":
      return `enum[${t.value.values.join(", ")}]`;
    case "structuredDatasetType":
      return t.value.format === "" ? "DataFrame" : `DataFrame[${t.value.format}]`;
    case "unionType": {
      const variants = t.value.variants;
      const rest = variants.filter((v) => !isNoneType(v));
      if (rest.length === 1 && rest.length < variants.length) {
        return `Optional[${describeType(rest[0], depth + 1)}]`;
      }
      return `Union[${variants.map((v) => describeType(v, depth + 1)).join(", ")}]`;
    }
    default:
      return "unknown";
  }
}
