/**
 * Plain JavaScript value → Flyte literal. With the declared type (from the task's
 * interface) the type decides: a whole number becomes a float for a `float` input, an
 * object becomes msgpack for a dataclass and a literal map for a `dict[str, T]`, a value of
 * an `Optional` is wrapped in a union. Without it, the value decides, as `DataValue`'s
 * table says.
 */

import { create, type JsonObject, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type Literal,
  LiteralSchema,
  type PrimitiveSchema,
} from "../gen/flyteidl2/core/literals_pb.js";
import {
  type BlobType,
  BlobType_BlobDimensionality,
  type LiteralType,
  SimpleType,
  type StructuredDatasetType,
  type StructuredDatasetTypeSchema,
} from "../gen/flyteidl2/core/types_pb.js";
import { ConversionFailure, describeValue, indexPath, keyPath } from "./conversion-failure.js";
import { describeType, isNoneType } from "./literal-types.js";
import { MSGPACK_TAG, pack } from "./msgpack.js";
import { DatasetRef, DirectoryRef, FileRef, isDataRef, OffloadedRef } from "./references.js";
import { isDurationValue, isFloatValue } from "./values.js";

type Init = MessageInitShape<typeof LiteralSchema>;

const MAX_DEPTH = 100;
const INT64_MAX = 0x7fff_ffff_ffff_ffffn;
const INT64_MIN = -0x8000_0000_0000_0000n;

/**
 * Converts a value into a literal, following `type` when given.
 *
 * @throws ConversionFailure when the value does not fit the type, or has no literal form.
 */
export function toLiteral(value: unknown, type?: LiteralType, path = ""): Literal {
  return create(LiteralSchema, convert(value, type, path, 0));
}

function convert(value: unknown, type: LiteralType | undefined, path: string, depth: number): Init {
  if (depth > MAX_DEPTH) throw new ConversionFailure("the value nests too deeply", path);
  const t = type?.type;
  if (type === undefined || t === undefined || t.case === undefined) {
    return untyped(value, path, depth);
  }
  const mismatch = () =>
    new ConversionFailure(`expected ${describeType(type)}, got ${describeValue(value)}`, path);
  switch (t.case) {
    case "simple":
      return simple(value, t.value, type, path, mismatch);
    case "collectionType":
      if (!Array.isArray(value)) throw mismatch();
      return {
        value: {
          case: "collection",
          value: {
            literals: value.map((v, i) => convert(v, t.value, indexPath(path, i), depth + 1)),
          },
        },
      };
    case "mapValueType": {
      if (!isPlainObject(value)) throw mismatch();
      const literals: Record<string, Init> = {};
      for (const [k, v] of Object.entries(value)) {
        literals[k] = convert(v, t.value, keyPath(path, k), depth + 1);
      }
      return { value: { case: "map", value: { literals } } };
    }
    case "blob":
      return blob(value, t.value, mismatch);
    case "enumType": {
      if (typeof value !== "string") throw mismatch();
      if (!t.value.values.includes(value)) {
        throw new ConversionFailure(
          `${JSON.stringify(value)} is not one of ${t.value.values.map((v) => JSON.stringify(v)).join(", ")}`,
          path,
        );
      }
      return primitive({ case: "stringValue", value });
    }
    case "structuredDatasetType":
      return dataset(value, t.value, mismatch);
    case "unionType":
      return union(value, t.value.variants, type, path, depth);
  }
}

function simple(
  value: unknown,
  kind: SimpleType,
  type: LiteralType,
  path: string,
  mismatch: () => ConversionFailure,
): Init {
  switch (kind) {
    case SimpleType.NONE:
      if (value !== null) throw mismatch();
      return none();
    case SimpleType.INTEGER:
      if (typeof value === "bigint") return integer(value, path);
      if (typeof value === "number" && Number.isSafeInteger(value)) {
        return primitive({ case: "integer", value: BigInt(value) });
      }
      throw mismatch();
    case SimpleType.FLOAT:
      if (typeof value === "number") return primitive({ case: "floatValue", value });
      if (isPlainObject(value) && isFloatValue(value)) {
        return primitive({ case: "floatValue", value: value.float });
      }
      throw mismatch();
    case SimpleType.STRING:
      if (typeof value !== "string") throw mismatch();
      return primitive({ case: "stringValue", value });
    case SimpleType.BOOLEAN:
      if (typeof value !== "boolean") throw mismatch();
      return primitive({ case: "boolean", value });
    case SimpleType.DATETIME:
      if (!(value instanceof Date)) throw mismatch();
      return datetime(value, path);
    case SimpleType.DURATION:
      if (!isPlainObject(value) || !isDurationValue(value)) throw mismatch();
      return durationLiteral(value.durationMs, path);
    case SimpleType.STRUCT:
      if (value === null || !(isPlainObject(value) || Array.isArray(value))) throw mismatch();
      return msgpack(value, path);
    default:
      throw new ConversionFailure(
        `${describeType(type)} inputs cannot be written from JavaScript`,
        path,
      );
  }
}

/** Tries the variants that suit the value's own kind first, then the rest, in order. */
function union(
  value: unknown,
  variants: readonly LiteralType[],
  type: LiteralType,
  path: string,
  depth: number,
): Init {
  const natural = variants.filter((v) => suits(value, v));
  const order = [...natural, ...variants.filter((v) => !natural.includes(v))];
  const reasons: string[] = [];
  for (const variant of order) {
    try {
      const inner = convert(value, variant, path, depth + 1);
      return {
        value: {
          case: "scalar",
          value: { value: { case: "union", value: { value: inner, type: variant } } },
        },
      };
    } catch (e) {
      if (!(e instanceof ConversionFailure)) throw e;
      reasons.push(e.reason);
    }
  }
  throw new ConversionFailure(
    `${describeValue(value)} fits no variant of ${describeType(type)}${reasons.length ? ` (${reasons.join("; ")})` : ""}`,
    path,
  );
}

/** Whether a union variant is the one a value naturally belongs to. */
function suits(value: unknown, variant: LiteralType): boolean {
  const t = variant.type;
  if (value === null) return isNoneType(variant);
  if (t.case !== "simple") return false;
  switch (t.value) {
    case SimpleType.INTEGER:
      return typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value));
    case SimpleType.FLOAT:
      return typeof value === "number" && !Number.isInteger(value);
    case SimpleType.STRING:
      return typeof value === "string";
    case SimpleType.BOOLEAN:
      return typeof value === "boolean";
    case SimpleType.DATETIME:
      return value instanceof Date;
    default:
      return false;
  }
}

function blob(value: unknown, declared: BlobType, mismatch: () => ConversionFailure): Init {
  const multipart = declared.dimensionality === BlobType_BlobDimensionality.MULTIPART;
  let uri: string;
  let format = declared.format;
  if (typeof value === "string") {
    uri = value;
  } else if (!multipart && value instanceof FileRef) {
    uri = value.uri;
    format = value.format || format;
  } else if (multipart && value instanceof DirectoryRef) {
    uri = value.uri;
    format = value.format || format;
  } else {
    throw mismatch();
  }
  return blobLiteral(uri, format, declared.dimensionality);
}

function dataset(
  value: unknown,
  declared: StructuredDatasetType,
  mismatch: () => ConversionFailure,
): Init {
  let uri: string;
  let format = declared.format;
  if (typeof value === "string") uri = value;
  else if (value instanceof DatasetRef) {
    uri = value.uri;
    format = value.format || format;
  } else throw mismatch();
  return datasetLiteral(uri, { ...declared, format });
}

/** The conversion without a type: the value's own kind decides. */
function untyped(value: unknown, path: string, depth: number): Init {
  switch (typeof value) {
    case "number":
      return Number.isSafeInteger(value)
        ? primitive({ case: "integer", value: BigInt(value) })
        : primitive({ case: "floatValue", value });
    case "bigint":
      return integer(value, path);
    case "string":
      return primitive({ case: "stringValue", value });
    case "boolean":
      return primitive({ case: "boolean", value });
    case "object":
      break;
    default:
      throw new ConversionFailure(`${describeValue(value)} has no Flyte literal form`, path);
  }
  if (value === null) return none();
  if (value instanceof Date) return datetime(value, path);
  if (value instanceof FileRef)
    return blobLiteral(value.uri, value.format, BlobType_BlobDimensionality.SINGLE);
  if (value instanceof DirectoryRef) {
    return blobLiteral(value.uri, value.format, BlobType_BlobDimensionality.MULTIPART);
  }
  if (value instanceof DatasetRef) {
    return datasetLiteral(value.uri, {
      format: value.format,
      columns: value.columns.map((c) => ({ name: c.name })),
    });
  }
  if (value instanceof OffloadedRef) {
    return {
      value: { case: "offloadedMetadata", value: { uri: value.uri, sizeBytes: value.sizeBytes } },
    };
  }
  if (Array.isArray(value)) {
    return {
      value: {
        case: "collection",
        value: {
          literals: value.map((v, i) => convert(v, undefined, indexPath(path, i), depth + 1)),
        },
      },
    };
  }
  if (!isPlainObject(value)) {
    throw new ConversionFailure(
      `${describeValue(value)} has no Flyte literal form${value instanceof Uint8Array ? " without a type (use a struct field)" : ""}`,
      path,
    );
  }
  if (isDurationValue(value)) return durationLiteral(value.durationMs, path);
  if (isFloatValue(value)) return primitive({ case: "floatValue", value: value.float });
  const literals: Record<string, Init> = {};
  for (const [k, v] of Object.entries(value))
    literals[k] = convert(v, undefined, keyPath(path, k), depth + 1);
  return { value: { case: "map", value: { literals } } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value) || isDataRef(value)) {
    return false;
  }
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

type PrimitiveValue = NonNullable<MessageInitShape<typeof PrimitiveSchema>["value"]>;

function primitive(value: PrimitiveValue): Init {
  return { value: { case: "scalar", value: { value: { case: "primitive", value: { value } } } } };
}

function none(): Init {
  return { value: { case: "scalar", value: { value: { case: "noneType", value: {} } } } };
}

function integer(value: bigint, path: string): Init {
  if (value > INT64_MAX || value < INT64_MIN) {
    throw new ConversionFailure(`${value} does not fit a 64-bit integer`, path);
  }
  return primitive({ case: "integer", value });
}

function datetime(value: Date, path: string): Init {
  if (Number.isNaN(value.getTime())) throw new ConversionFailure("the Date is invalid", path);
  return primitive({ case: "datetime", value: timestampFromDate(value) });
}

function durationLiteral(ms: number, path: string): Init {
  if (!Number.isFinite(ms))
    throw new ConversionFailure(`the duration ${ms} ms is not finite`, path);
  const seconds = Math.trunc(ms / 1000);
  let nanos = Math.round((ms - seconds * 1000) * 1e6);
  let whole = seconds;
  // Rounding can reach a full second; carry it so nanos stay within ±999,999,999.
  if (nanos >= 1e9) {
    whole += 1;
    nanos -= 1e9;
  } else if (nanos <= -1e9) {
    whole -= 1;
    nanos += 1e9;
  }
  return primitive({ case: "duration", value: { seconds: BigInt(whole), nanos } });
}

function msgpack(value: unknown, path: string): Init {
  return {
    value: {
      case: "scalar",
      value: { value: { case: "binary", value: { value: pack(value, path), tag: MSGPACK_TAG } } },
    },
  };
}

function blobLiteral(
  uri: string,
  format: string,
  dimensionality: BlobType_BlobDimensionality,
): Init {
  return {
    value: {
      case: "scalar",
      value: {
        value: { case: "blob", value: { uri, metadata: { type: { format, dimensionality } } } },
      },
    },
  };
}

function datasetLiteral(
  uri: string,
  type: MessageInitShape<typeof StructuredDatasetTypeSchema>,
): Init {
  return {
    value: {
      case: "scalar",
      value: {
        value: {
          case: "structuredDataset",
          value: { uri, metadata: { structuredDatasetType: type } },
        },
      },
    },
  };
}

/** A JSON object as a `google.protobuf.Struct` literal (the `generic` scalar). */
export function jsonLiteral(value: JsonObject): Literal {
  return create(LiteralSchema, {
    value: { case: "scalar", value: { value: { case: "generic", value } } },
  });
}
