/**
 * Flyte literal → plain JavaScript value. A literal describes itself (a primitive says
 * whether it is an integer or a datetime, a blob whether it is a file or a directory), so
 * the conversion reads the literal; the declared type, when known, only names what a
 * failure expected.
 */

import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { Literal, Primitive, Scalar } from "../gen/flyteidl2/core/literals_pb.js";
import { BlobType_BlobDimensionality, type LiteralType } from "../gen/flyteidl2/core/types_pb.js";
import { ConversionFailure, indexPath, keyPath } from "./conversion-failure.js";
import { describeType } from "./literal-types.js";
import { MSGPACK_TAG, unpack } from "./msgpack.js";
import { DatasetRef, DirectoryRef, FileRef, OffloadedRef } from "./references.js";
import type { DataValue } from "./values.js";

const MAX_DEPTH = 100;

/**
 * Converts a literal into a plain value (see `DataValue` for the table).
 *
 * @throws ConversionFailure for a literal with no JavaScript form: a pickled Python object,
 * a binary format other than msgpack, an error value, or a kind this schema does not know.
 */
export function fromLiteral(literal: Literal, type?: LiteralType, path = ""): DataValue {
  return convert(literal, type, path, 0);
}

function convert(
  literal: Literal,
  type: LiteralType | undefined,
  path: string,
  depth: number,
): DataValue {
  if (depth > MAX_DEPTH) throw new ConversionFailure("the literal nests too deeply", path);
  const v = literal.value;
  switch (v.case) {
    case "scalar":
      return scalar(v.value, type, path, depth);
    case "collection": {
      const item = type?.type.case === "collectionType" ? type.type.value : undefined;
      return v.value.literals.map((l, i) => convert(l, item, indexPath(path, i), depth + 1));
    }
    case "map": {
      const item = type?.type.case === "mapValueType" ? type.type.value : undefined;
      return Object.fromEntries(
        Object.entries(v.value.literals).map(([k, l]) => [
          k,
          convert(l, item, keyPath(path, k), depth + 1),
        ]),
      );
    }
    case "offloadedMetadata": {
      const m = v.value;
      const inferred = m.inferredType ?? type;
      return new OffloadedRef(
        m.uri,
        m.sizeBytes,
        inferred === undefined ? "" : describeType(inferred),
      );
    }
    default:
      throw new ConversionFailure(
        `the literal has no value${unknownFields(literal)}${expecting(type)}`,
        path,
      );
  }
}

function scalar(s: Scalar, type: LiteralType | undefined, path: string, depth: number): DataValue {
  const v = s.value;
  switch (v.case) {
    case "primitive":
      return primitive(v.value, type, path);
    case "noneType":
      return null;
    case "blob": {
      const blobType = v.value.metadata?.type;
      const format = blobType?.format ?? "";
      return blobType?.dimensionality === BlobType_BlobDimensionality.MULTIPART
        ? new DirectoryRef(v.value.uri, format)
        : new FileRef(v.value.uri, format);
    }
    case "binary": {
      const { tag, value } = v.value;
      if (tag === MSGPACK_TAG) return unpack(value, path);
      if (tag === "") {
        throw new ConversionFailure(
          `it is a pickled Python object (a Binary literal without a tag, ${value.length} bytes), which only Python can read`,
          path,
        );
      }
      throw new ConversionFailure(`Unsupported binary format \`${tag}\``, path);
    }
    case "generic":
      // protobuf-es gives google.protobuf.Struct fields as their JSON form already.
      return v.value as DataValue;
    case "structuredDataset": {
      const sd = v.value.metadata?.structuredDatasetType;
      const declared = type?.type.case === "structuredDatasetType" ? type.type.value : undefined;
      const columns = (sd?.columns.length ? sd.columns : (declared?.columns ?? [])).map((c) => ({
        name: c.name,
        type: describeType(c.literalType),
      }));
      return new DatasetRef(v.value.uri, sd?.format || declared?.format || "", columns);
    }
    case "union": {
      const inner = v.value.value;
      if (inner === undefined) throw new ConversionFailure("the union holds no value", path);
      return convert(inner, v.value.type, path, depth + 1);
    }
    case "error":
      throw new ConversionFailure(
        `it carries an error instead of a value${v.value.failedNodeId ? ` (from ${v.value.failedNodeId})` : ""}: ${v.value.message}`,
        path,
      );
    default:
      throw new ConversionFailure(
        `the scalar is of a kind this client does not know${unknownFields(s)}${expecting(type)}`,
        path,
      );
  }
}

function primitive(p: Primitive, type: LiteralType | undefined, path: string): DataValue {
  const v = p.value;
  switch (v.case) {
    case "integer":
      return Number.isSafeInteger(Number(v.value)) ? Number(v.value) : v.value;
    case "floatValue":
    case "stringValue":
    case "boolean":
      return v.value;
    case "datetime":
      return timestampDate(v.value);
    case "duration":
      return { durationMs: Number(v.value.seconds) * 1000 + v.value.nanos / 1e6 };
    default:
      throw new ConversionFailure(
        `the primitive is of a kind this client does not know${unknownFields(p)}${expecting(type)}`,
        path,
      );
  }
}

/** `" (unknown field 4)"` when the message carried fields this schema does not declare. */
function unknownFields(message: { $unknown?: { no: number }[] | undefined }): string {
  const numbers = (message.$unknown ?? []).map((u) => u.no);
  if (numbers.length === 0) return "";
  return ` (unknown field${numbers.length > 1 ? "s" : ""} ${numbers.join(", ")})`;
}

function expecting(type: LiteralType | undefined): string {
  return type === undefined ? "" : `; expected ${describeType(type)}`;
}
