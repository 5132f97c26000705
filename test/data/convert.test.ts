import { create, equals, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { encode } from "@msgpack/msgpack";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConversionFailure } from "../../src/data/conversion-failure.js";
import { fromLiteral } from "../../src/data/from-literal.js";
import {
  DatasetRef,
  DirectoryRef,
  duration,
  FileRef,
  float,
  fromNamedLiterals,
  OffloadedRef,
  types,
} from "../../src/data/index.js";
import { describeType } from "../../src/data/literal-types.js";
import { toLiteral } from "../../src/data/to-literal.js";
import type { DataValue } from "../../src/data/values.js";
import { RuntimeDataValidationError } from "../../src/errors/index.js";
import { type Literal, LiteralSchema } from "../../src/gen/flyteidl2/core/literals_pb.js";
import type { LiteralType } from "../../src/gen/flyteidl2/core/types_pb.js";

type Init = MessageInitShape<typeof LiteralSchema>;
const lit = (init: Init) => create(LiteralSchema, init);

function failure(fn: () => unknown): ConversionFailure {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConversionFailure) return e;
    throw e;
  }
  throw new Error("did not fail");
}

describe("literal → value", () => {
  it("reads what each kind of literal holds", () => {
    const binary = (tag: string, value: Uint8Array) =>
      lit({
        value: { case: "scalar", value: { value: { case: "binary", value: { tag, value } } } },
      });
    expect(
      fromLiteral(
        binary("msgpack", encode({ a: [1, 2n ** 60n, "x"], b: null }, { useBigInt64: true })),
      ),
    ).toEqual({
      a: [1, 2n ** 60n, "x"],
      b: null,
    });
    expect(
      fromLiteral(
        lit({
          value: {
            case: "offloadedMetadata",
            value: { uri: "s3://b/o0", sizeBytes: 5n, inferredType: types.list(types.int) },
          },
        }),
      ),
    ).toEqual(new OffloadedRef("s3://b/o0", 5n, "list[int]"));
    expect(
      fromLiteral(
        lit({
          value: {
            case: "scalar",
            value: {
              value: {
                case: "primitive",
                value: { value: { case: "integer", value: -(2n ** 63n) } },
              },
            },
          },
        }),
      ),
    ).toBe(-(2n ** 63n));
  });

  it("refuses, with a reason, what has no JavaScript form", () => {
    const binary = (tag: string, value: Uint8Array) =>
      lit({
        value: { case: "scalar", value: { value: { case: "binary", value: { tag, value } } } },
      });
    expect(failure(() => fromLiteral(binary("", new Uint8Array([0x80, 5])))).reason).toBe(
      "it is a pickled Python object (a Binary literal without a tag, 2 bytes), which only Python can read",
    );
    expect(failure(() => fromLiteral(binary("arrow", new Uint8Array()))).reason).toBe(
      "Unsupported binary format `arrow`",
    );
    expect(failure(() => fromLiteral(binary("msgpack", new Uint8Array([0xc1])))).reason).toMatch(
      /^the msgpack payload does not decode: /,
    );
    expect(
      failure(() =>
        fromLiteral(
          lit({
            value: {
              case: "scalar",
              value: { value: { case: "error", value: { failedNodeId: "n2", message: "boom" } } },
            },
          }),
        ),
      ).reason,
    ).toBe("it carries an error instead of a value (from n2): boom");
    expect(failure(() => fromLiteral(lit({}), types.int)).reason).toBe(
      "the literal has no value; expected int",
    );
  });

  it("a scalar kind this schema does not know (the legacy Schema, field 4) is named, not guessed", () => {
    // Scalar.schema = 4 { uri = 1 }, written by hand as upstream would.
    const scalarBytes = new Uint8Array([0x22, 0x05, 0x0a, 0x03, 0x73, 0x33, 0x3a]);
    const bytes = new Uint8Array([0x0a, scalarBytes.length, ...scalarBytes]);
    const literal = fromBinary(LiteralSchema, bytes);
    expect(failure(() => fromLiteral(literal)).reason).toBe(
      "the scalar is of a kind this client does not know (unknown field 4)",
    );
  });

  it("a failure deep inside a value names where, and the variable in the SDK's words", () => {
    const bad = toLiteral([{ a: 1 }, { a: 2, b: "x" }]);
    const inner = bad.value.case === "collection" ? bad.value.value.literals[1] : undefined;
    if (inner?.value.case === "map") {
      inner.value.value.literals.b = lit({
        value: {
          case: "scalar",
          value: { value: { case: "binary", value: { tag: "", value: new Uint8Array(3) } } },
        },
      });
    }
    let caught: unknown;
    try {
      fromNamedLiterals([{ name: "rows", value: bad } as never], {
        direction: "output",
        taskName: "etl",
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RuntimeDataValidationError);
    const error = caught as RuntimeDataValidationError;
    expect(error.rawMessage).toBe(
      "In task etl variable rows, failed to serialize/deserialize because of it is a pickled Python object (a Binary literal without a tag, 3 bytes), which only Python can read (at [1].b)",
    );
    expect(error.details.path).toBe("[1].b");
    expect(error.kind).toBe("user");
  });
});

describe("value → literal", () => {
  it("without a type, the value's own kind decides", () => {
    const kind = (v: unknown) => {
      const l = toLiteral(v);
      return l.value.case === "scalar"
        ? l.value.value.value.case === "primitive"
          ? l.value.value.value.value.value.case
          : l.value.value.value.case
        : l.value.case;
    };
    expect(kind(1)).toBe("integer");
    expect(kind(1.5)).toBe("floatValue");
    expect(kind(float(1))).toBe("floatValue");
    expect(kind(2n ** 62n)).toBe("integer");
    expect(kind(Number.NaN)).toBe("floatValue");
    expect(kind(duration(5))).toBe("duration");
    expect(kind(new Date())).toBe("datetime");
    expect(kind(null)).toBe("noneType");
    expect(kind({ a: 1 })).toBe("map");
    expect(kind([1])).toBe("collection");
    expect(kind(new FileRef("s3://x"))).toBe("blob");
    expect(kind(new DatasetRef("s3://x"))).toBe("structuredDataset");
    expect(kind(new OffloadedRef("s3://x", 1n))).toBe("offloadedMetadata");
  });

  it("refuses what does not fit, saying what was expected", () => {
    expect(failure(() => toLiteral(2n ** 64n)).reason).toBe(
      "18446744073709551616 does not fit a 64-bit integer",
    );
    expect(failure(() => toLiteral(undefined)).reason).toBe("undefined has no Flyte literal form");
    expect(failure(() => toLiteral(new Map())).reason).toBe("a Map has no Flyte literal form");
    expect(failure(() => toLiteral(new Uint8Array(2))).reason).toBe(
      "2 bytes has no Flyte literal form without a type (use a struct field)",
    );
    expect(failure(() => toLiteral(duration(Number.POSITIVE_INFINITY))).reason).toBe(
      "the duration Infinity ms is not finite",
    );
    expect(failure(() => toLiteral("slow", types.enum(["fast"]))).reason).toBe(
      '"slow" is not one of "fast"',
    );
    expect(failure(() => toLiteral(new DirectoryRef("s3://d"), types.file())).reason).toBe(
      "expected File, got a DirectoryRef",
    );
    expect(failure(() => toLiteral({ when: new Date(Number.NaN) }, types.struct())).reason).toBe(
      "the Date is invalid",
    );
    expect(failure(() => toLiteral({ f: () => 1 }, types.struct())).message).toBe(
      "a function has no msgpack form (at .f)",
    );
    expect(failure(() => toLiteral([1, "x"], types.list(types.int))).message).toBe(
      'expected int, got string "x" (at [1])',
    );
  });

  it("a union takes the variant of the value's own kind first, then the first that fits", () => {
    const variant = (l: Literal) =>
      l.value.case === "scalar" && l.value.value.value.case === "union"
        ? describeType(l.value.value.value.value.type)
        : "not a union";
    const numbers = types.union(types.float, types.int);
    expect(variant(toLiteral(3, numbers))).toBe("int");
    expect(variant(toLiteral(3.5, numbers))).toBe("float");
    expect(variant(toLiteral(float(3), numbers))).toBe("float");
    expect(variant(toLiteral("s3://x", types.union(types.file(), types.str)))).toBe("str");
    expect(variant(toLiteral({ a: 1 }, types.union(types.dict(types.int), types.struct())))).toBe(
      "dict[str, int]",
    );
  });

  it("a struct is msgpack, with dates as ISO strings as mashumaro writes them", () => {
    const l = toLiteral({ at: new Date(0), n: 1 }, types.struct());
    expect(fromLiteral(l)).toEqual({ at: "1970-01-01T00:00:00.000Z", n: 1 });
  });

  it("a URI string is enough for a file, a directory or a dataset", () => {
    expect(fromLiteral(toLiteral("s3://m.pt", types.file("pt")))).toEqual(
      new FileRef("s3://m.pt", "pt"),
    );
    expect(fromLiteral(toLiteral("s3://d", types.dir()))).toEqual(new DirectoryRef("s3://d", ""));
    expect(fromLiteral(toLiteral("s3://t", types.dataframe()))).toEqual(
      new DatasetRef("s3://t", "parquet"),
    );
  });

  it("describes types in Python's words", () => {
    expect(describeType(types.optional(types.dict(types.list(types.file("csv")))))).toBe(
      "Optional[dict[str, list[File[csv]]]]",
    );
    expect(describeType(types.union(types.int, types.str))).toBe("Union[int, str]");
    expect(describeType(types.struct("Cfg"))).toBe("Cfg");
  });
});

// ---------------------------------------------------------------------------------------
// Properties: every typed value survives value → literal → bytes → literal → value, and
// the literal survives literal → value → literal.
// ---------------------------------------------------------------------------------------

const key = fc.string({ maxLength: 8 }).filter((k) => k !== "__proto__");
const int = fc.oneof(
  fc.maxSafeInteger(),
  fc
    .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
    .filter((b) => !Number.isSafeInteger(Number(b))),
);
const double = fc.double();
const date = fc.date({
  min: new Date(-62135596800000),
  max: new Date(253402300799999),
  noInvalidDate: true,
});
const ms = fc.integer({ min: -1e12, max: 1e12 }).map(duration);
const json: fc.Arbitrary<DataValue> = fc
  .jsonValue({ maxDepth: 3 })
  .map((v) => JSON.parse(JSON.stringify(v, (_k, x) => (Object.is(x, -0) ? 0 : x))) as DataValue)
  .filter((v) => !JSON.stringify(v).includes('"__proto__"'));
const format = fc.constantFrom("", "csv", "parquet", "pt");
const uri = fc.stringMatching(/^[a-z0-9/._-]{1,16}$/).map((p) => `s3://bucket/${p}`);

/** A type and a generator of its values. */
type Typed = { type: LiteralType; value: fc.Arbitrary<DataValue> };

const leaves: fc.Arbitrary<Typed>[] = [
  fc.constant({ type: types.int, value: int }),
  fc.constant({ type: types.float, value: double }),
  fc.constant({ type: types.str, value: fc.string({ unit: "grapheme", maxLength: 12 }) }),
  fc.constant({ type: types.bool, value: fc.boolean() }),
  fc.constant({ type: types.datetime, value: date }),
  fc.constant({ type: types.timedelta, value: ms }),
  fc.constant({ type: types.struct(), value: fc.dictionary(key, json, { maxKeys: 4 }) }),
  fc
    .uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 })
    .map((values) => ({ type: types.enum(values), value: fc.constantFrom(...values) })),
  format.map((f) => ({ type: types.file(f), value: uri.map((u) => new FileRef(u, f)) })),
  format.map((f) => ({
    type: types.dir(f),
    value: uri.map((u) => new DirectoryRef(u, f)),
  })),
  format.map((f) => ({
    type: types.dataframe(f),
    value: uri.map((u) => new DatasetRef(u, f)),
  })),
];

const typed: fc.Arbitrary<Typed> = fc.letrec<{ t: Typed; nonUnion: Typed }>((tie) => ({
  nonUnion: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    ...leaves,
    tie("nonUnion").map((t) => ({
      type: types.list(t.type),
      value: fc.array(t.value, { maxLength: 3 }),
    })),
    tie("nonUnion").map((t) => ({
      type: types.dict(t.type),
      value: fc.dictionary(key, t.value, { maxKeys: 3 }),
    })),
  ),
  t: fc.oneof(
    tie("nonUnion"),
    tie("nonUnion").map((t) => ({
      type: types.optional(t.type),
      value: fc.option(t.value, { nil: null }) as fc.Arbitrary<DataValue>,
    })),
  ),
})).t;

const typedValue = typed.chain((t) => t.value.map((value) => ({ type: t.type, value })));

function wire(literal: Literal): Literal {
  return fromBinary(LiteralSchema, toBinary(LiteralSchema, literal));
}

describe("round trips (fast-check)", () => {
  it("a typed value comes back equal after value → literal → bytes → literal → value", () => {
    fc.assert(
      fc.property(typedValue, ({ type, value }) => {
        expect(fromLiteral(wire(toLiteral(value, type)), type)).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it("a literal comes back equal after literal → value → literal", () => {
    fc.assert(
      fc.property(typedValue, ({ type, value }) => {
        const literal = wire(toLiteral(value, type));
        const again = toLiteral(fromLiteral(literal, type), type);
        expect(equals(LiteralSchema, again, literal)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("without a type, a value comes back equal too", () => {
    const untyped: fc.Arbitrary<DataValue> = fc.letrec<{ v: DataValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        int,
        double.filter((d) => !Number.isSafeInteger(d) || Object.is(d, -0) === false),
        fc.string({ maxLength: 8 }),
        fc.boolean(),
        fc.constant(null),
        date,
        ms,
        uri.map((u) => new FileRef(u, "csv")),
        fc.array(tie("v"), { maxLength: 3 }),
        fc.dictionary(key, tie("v"), { maxKeys: 3 }),
      ),
    })).v;
    fc.assert(
      fc.property(untyped, (value) => {
        expect(fromLiteral(wire(toLiteral(value)))).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });
});
