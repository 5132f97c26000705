/**
 * What every scenario's task takes and gives: one typed interface, the same outputs for
 * every success (one of each kind of Flyte value), and the storage locations the backend
 * would report. The data variants of a scenario change these, see the catalogue.
 *
 * @module
 */

import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { encode } from "@msgpack/msgpack";
import type { RunIdentifier } from "../gen/flyteidl2/common/identifier_pb.js";
import { type TypedInterface, TypedInterfaceSchema } from "../gen/flyteidl2/core/interface_pb.js";
import type {
  LiteralSchema,
  PrimitiveSchema,
  ScalarSchema,
} from "../gen/flyteidl2/core/literals_pb.js";
import {
  BlobType_BlobDimensionality,
  type LiteralTypeSchema,
  SimpleType,
} from "../gen/flyteidl2/core/types_pb.js";
import { type Outputs, OutputsSchema } from "../gen/flyteidl2/task/common_pb.js";
import { type TaskSpec, TaskSpecSchema } from "../gen/flyteidl2/task/task_definition_pb.js";
import type { DataVariantName } from "./scenario.js";

type LiteralInit = MessageInitShape<typeof LiteralSchema>;
type TypeInit = MessageInitShape<typeof LiteralTypeSchema>;

const simple = (value: SimpleType): TypeInit => ({ type: { case: "simple", value } });
const prim = (
  value: NonNullable<MessageInitShape<typeof PrimitiveSchema>["value"]>,
): LiteralInit => ({
  value: { case: "scalar", value: { value: { case: "primitive", value: { value } } } },
});
const scalar = (
  value: NonNullable<MessageInitShape<typeof ScalarSchema>["value"]>,
): LiteralInit => ({
  value: { case: "scalar", value: { value } },
});

/** One output of the sample task: its name, its type in Python's words, and its value. */
export interface SampleOutput {
  readonly name: string;
  readonly pythonType: string;
  readonly description: string;
}

/** The bucket the sample outputs point into. */
export const sampleBucket = "s3://flyte-data";

function prefix(run: RunIdentifier): string {
  return `${sampleBucket}/${run.project}/${run.domain}/${run.name}/a0`;
}

const listOfInt: TypeInit = { type: { case: "collectionType", value: simple(SimpleType.INTEGER) } };
const datasetType = {
  format: "parquet",
  columns: [
    { name: "x", literalType: simple(SimpleType.FLOAT) },
    { name: "label", literalType: simple(SimpleType.STRING) },
  ],
};

/** The outputs of every succeeding scenario, with what a client should read from them. */
export const sampleOutputs: readonly SampleOutput[] = [
  { name: "o0", pythonType: "int", description: "42" },
  { name: "o1", pythonType: "float", description: "0.875" },
  { name: "o2", pythonType: "str", description: '"model-v3"' },
  { name: "o3", pythonType: "datetime", description: "2024-05-01T10:00:00Z" },
  { name: "o4", pythonType: "timedelta", description: "90.5 seconds" },
  { name: "o5", pythonType: "list[int]", description: "[1, 2, 3]" },
  { name: "o6", pythonType: "dict[str, float]", description: "{ precision: 0.9, recall: 0.8 }" },
  {
    name: "o7",
    pythonType: "Metrics (a dataclass, msgpack)",
    description: '{ name: "resnet", layers: 50, lr: 0.001, tags: ["vision", "baseline"] }',
  },
  { name: "o8", pythonType: "File", description: "<run prefix>/model.pt, format pt" },
  { name: "o9", pythonType: "Dir", description: "<run prefix>/checkpoints, no format" },
  {
    name: "o10",
    pythonType: "DataFrame",
    description: "<run prefix>/table.parquet, format parquet, columns x: float and label: str",
  },
  { name: "o11", pythonType: 'Literal["fast", "slow"] (an enum)', description: '"fast"' },
  { name: "o12", pythonType: "Optional[str]", description: "None" },
  { name: "o13", pythonType: "bool", description: "true" },
  {
    name: "o14",
    pythonType: "JSON (google.protobuf.Struct)",
    description: '{ source: "flyte-remote test server", version: 1 }',
  },
];

const outputTypes: Record<string, TypeInit> = {
  o0: simple(SimpleType.INTEGER),
  o1: simple(SimpleType.FLOAT),
  o2: simple(SimpleType.STRING),
  o3: simple(SimpleType.DATETIME),
  o4: simple(SimpleType.DURATION),
  o5: listOfInt,
  o6: { type: { case: "mapValueType", value: simple(SimpleType.FLOAT) } },
  o7: {
    type: { case: "simple", value: SimpleType.STRUCT },
    metadata: { title: "Metrics" },
    structure: { tag: "DataclassTransformer" },
  },
  o8: {
    type: {
      case: "blob",
      value: { format: "pt", dimensionality: BlobType_BlobDimensionality.SINGLE },
    },
  },
  o9: {
    type: {
      case: "blob",
      value: { format: "", dimensionality: BlobType_BlobDimensionality.MULTIPART },
    },
  },
  o10: { type: { case: "structuredDatasetType", value: datasetType } },
  o11: { type: { case: "enumType", value: { values: ["fast", "slow"] } } },
  o12: {
    type: {
      case: "unionType",
      value: { variants: [simple(SimpleType.STRING), simple(SimpleType.NONE)] },
    },
  },
  o13: simple(SimpleType.BOOLEAN),
  o14: simple(SimpleType.STRUCT),
};

/**
 * The sample task's interface. Inputs: `n: int` (required), `scale: float` (default 1.0)
 * and `label: Optional[str]`; outputs: {@link sampleOutputs}.
 */
export const sampleInterface: TypedInterface = create(TypedInterfaceSchema, {
  inputs: {
    variables: [
      { key: "n", value: { type: simple(SimpleType.INTEGER), description: "How many items" } },
      { key: "scale", value: { type: simple(SimpleType.FLOAT) } },
      {
        key: "label",
        value: {
          type: {
            type: {
              case: "unionType",
              value: { variants: [simple(SimpleType.STRING), simple(SimpleType.NONE)] },
            },
          },
        },
      },
    ],
  },
  outputs: {
    variables: sampleOutputs.map((o) => ({ key: o.name, value: { type: outputTypes[o.name] } })),
  },
});

/** The registered spec of a scenario's task: the interface, and `scale` defaulting to 1.0. */
export function sampleTaskSpec(taskName: string): TaskSpec {
  return create(TaskSpecSchema, {
    taskTemplate: { type: "python", interface: sampleInterface },
    defaultInputs: [
      {
        name: "scale",
        parameter: {
          var: { type: simple(SimpleType.FLOAT) },
          behavior: { case: "default", value: prim({ case: "floatValue", value: 1.0 }) },
        },
      },
    ],
    shortName: taskName,
  });
}

/** Where the backend would say the run's inputs are. */
export function inputsUri(run: RunIdentifier): string {
  return `${prefix(run)}/inputs.pb`;
}

/** Where the backend would say the outputs of an attempt are. */
export function outputsUri(run: RunIdentifier, attempt: number): string {
  return `${prefix(run)}/${attempt}/outputs.pb`;
}

/** The outputs of a succeeded run, changed by its data variants. */
export function sampleOutputsOf(
  run: RunIdentifier,
  attempt: number,
  variants: readonly DataVariantName[],
): Outputs {
  const at = prefix(run);
  const values: Record<string, LiteralInit> = {
    o0: prim({ case: "integer", value: 42n }),
    o1: prim({ case: "floatValue", value: 0.875 }),
    o2: prim({ case: "stringValue", value: "model-v3" }),
    o3: prim({ case: "datetime", value: timestampFromMs(Date.UTC(2024, 4, 1, 10)) }),
    o4: prim({ case: "duration", value: { seconds: 90n, nanos: 500_000_000 } }),
    o5: {
      value: {
        case: "collection",
        value: { literals: [1n, 2n, 3n].map((n) => prim({ case: "integer", value: n })) },
      },
    },
    o6: {
      value: {
        case: "map",
        value: {
          literals: {
            precision: prim({ case: "floatValue", value: 0.9 }),
            recall: prim({ case: "floatValue", value: 0.8 }),
          },
        },
      },
    },
    o7: scalar({
      case: "binary",
      value: {
        tag: "msgpack",
        value: encode({ name: "resnet", layers: 50, lr: 0.001, tags: ["vision", "baseline"] }),
      },
    }),
    o8: scalar({
      case: "blob",
      value: {
        uri: `${at}/model.pt`,
        metadata: { type: { format: "pt", dimensionality: BlobType_BlobDimensionality.SINGLE } },
      },
    }),
    o9: scalar({
      case: "blob",
      value: {
        uri: `${at}/checkpoints`,
        metadata: { type: { format: "", dimensionality: BlobType_BlobDimensionality.MULTIPART } },
      },
    }),
    o10: scalar({
      case: "structuredDataset",
      value: { uri: `${at}/table.parquet`, metadata: { structuredDatasetType: datasetType } },
    }),
    o11: prim({ case: "stringValue", value: "fast" }),
    o12: scalar({
      case: "union",
      value: { value: scalar({ case: "noneType", value: {} }), type: simple(SimpleType.NONE) },
    }),
    o13: prim({ case: "boolean", value: true }),
    o14: scalar({ case: "generic", value: { source: "flyte-remote test server", version: 1 } }),
  };
  if (variants.includes("offloaded-outputs")) {
    values.o5 = {
      value: {
        case: "offloadedMetadata",
        value: {
          uri: `${outputsUri(run, attempt).replace(/outputs\.pb$/, "")}o5`,
          sizeBytes: 12n * 1024n * 1024n,
          inferredType: listOfInt,
        },
      },
    };
  }
  if (variants.includes("unconvertible-output")) {
    // The first bytes of a protocol 5 pickle of a class instance, as cloudpickle writes it.
    values.o7 = scalar({
      case: "binary",
      value: {
        tag: "",
        value: new Uint8Array([
          0x80, 0x05, 0x95, 0x2a, 0x00, 0x00, 0x00, 0x00, 0x8c, 0x08, 0x5f, 0x5f, 0x6d, 0x61, 0x69,
          0x6e, 0x5f, 0x5f, 0x94,
        ]),
      },
    });
  }
  return create(OutputsSchema, {
    literals: sampleOutputs.map((o) => ({ name: o.name, value: values[o.name] })),
  });
}
