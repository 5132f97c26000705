import { create } from "@bufbuild/protobuf";
import {
  type DescriptorProto,
  DescriptorProtoSchema,
  type FieldDescriptorProto,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldDescriptorProtoSchema,
  type FileDescriptorProto,
  FileDescriptorProtoSchema,
  MessageOptionsSchema,
  OneofDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";

/**
 * `google/rpc/error_details.proto` is not part of `@flyteorg/flyteidl2` (it ships only
 * `google/rpc/status.proto`), so there is no embedded descriptor to compare with. Servers
 * (connect-go, grpc-go) pack these messages into `Status.details` with googleapis' numbering,
 * so we write that numbering down here, from googleapis' published error_details.proto, and
 * hold our copy to it with the same checker.
 *
 * Scalars are given by name; `message:` rows name a message type; `map:` rows give key and value.
 */
type Row =
  | {
      readonly n: number;
      readonly t: "string" | "int64";
      readonly repeated?: true;
      readonly optional?: true;
    }
  | { readonly n: number; readonly t: `message:${string}`; readonly repeated?: true }
  | { readonly n: number; readonly t: "map<string,string>" };

/** googleapis field numbers, message by message (nested messages as `Outer.Inner`). */
export const GOOGLEAPIS_ERROR_DETAILS: Readonly<Record<string, Readonly<Record<string, Row>>>> = {
  ErrorInfo: {
    reason: { n: 1, t: "string" },
    domain: { n: 2, t: "string" },
    metadata: { n: 3, t: "map<string,string>" },
  },
  RetryInfo: { retry_delay: { n: 1, t: "message:google.protobuf.Duration" } },
  DebugInfo: {
    stack_entries: { n: 1, t: "string", repeated: true },
    detail: { n: 2, t: "string" },
  },
  QuotaFailure: {
    violations: { n: 1, t: "message:google.rpc.QuotaFailure.Violation", repeated: true },
  },
  "QuotaFailure.Violation": {
    subject: { n: 1, t: "string" },
    description: { n: 2, t: "string" },
    api_service: { n: 3, t: "string" },
    quota_metric: { n: 4, t: "string" },
    quota_id: { n: 5, t: "string" },
    quota_dimensions: { n: 6, t: "map<string,string>" },
    quota_value: { n: 7, t: "int64" },
    future_quota_value: { n: 8, t: "int64", optional: true },
  },
  PreconditionFailure: {
    violations: { n: 1, t: "message:google.rpc.PreconditionFailure.Violation", repeated: true },
  },
  "PreconditionFailure.Violation": {
    type: { n: 1, t: "string" },
    subject: { n: 2, t: "string" },
    description: { n: 3, t: "string" },
  },
  BadRequest: {
    field_violations: { n: 1, t: "message:google.rpc.BadRequest.FieldViolation", repeated: true },
  },
  "BadRequest.FieldViolation": {
    field: { n: 1, t: "string" },
    description: { n: 2, t: "string" },
    reason: { n: 3, t: "string" },
    localized_message: { n: 4, t: "message:google.rpc.LocalizedMessage" },
  },
  RequestInfo: {
    request_id: { n: 1, t: "string" },
    serving_data: { n: 2, t: "string" },
  },
  ResourceInfo: {
    resource_type: { n: 1, t: "string" },
    resource_name: { n: 2, t: "string" },
    owner: { n: 3, t: "string" },
    description: { n: 4, t: "string" },
  },
  Help: { links: { n: 1, t: "message:google.rpc.Help.Link", repeated: true } },
  "Help.Link": {
    description: { n: 1, t: "string" },
    url: { n: 2, t: "string" },
  },
  LocalizedMessage: {
    locale: { n: 1, t: "string" },
    message: { n: 2, t: "string" },
  },
};

const { OPTIONAL: LABEL_OPTIONAL, REPEATED: LABEL_REPEATED } = FieldDescriptorProto_Label;
const scalarTypes = {
  string: FieldDescriptorProto_Type.STRING,
  int64: FieldDescriptorProto_Type.INT64,
} as const;

function camel(name: string): string {
  return name.replace(/(^|_)([a-z])/g, (_m, _sep: string, c: string) => c.toUpperCase());
}

function scalar(name: string, number: number, type: "string" | "int64"): FieldDescriptorProto {
  return create(FieldDescriptorProtoSchema, {
    name,
    number,
    label: LABEL_OPTIONAL,
    type: scalarTypes[type],
  });
}

function buildMessage(fullName: string, rows: Readonly<Record<string, Row>>): DescriptorProto {
  const message = create(DescriptorProtoSchema, { name: fullName.split(".").pop() ?? fullName });
  for (const [name, row] of Object.entries(rows)) {
    if (row.t === "map<string,string>") {
      // protoc's representation of a map: a repeated nested `<Name>Entry` message.
      const entry = create(DescriptorProtoSchema, {
        name: `${camel(name)}Entry`,
        field: [scalar("key", 1, "string"), scalar("value", 2, "string")],
        options: create(MessageOptionsSchema, { mapEntry: true }),
      });
      message.nestedType.push(entry);
      message.field.push(
        create(FieldDescriptorProtoSchema, {
          name,
          number: row.n,
          label: LABEL_REPEATED,
          type: FieldDescriptorProto_Type.MESSAGE,
          typeName: `.google.rpc.${fullName}.${entry.name}`,
        }),
      );
      continue;
    }
    const field = row.t.startsWith("message:")
      ? create(FieldDescriptorProtoSchema, {
          name,
          number: row.n,
          label: LABEL_OPTIONAL,
          type: FieldDescriptorProto_Type.MESSAGE,
          typeName: `.${row.t.slice("message:".length)}`,
        })
      : scalar(name, row.n, row.t as "string" | "int64");
    if (row.repeated) field.label = LABEL_REPEATED;
    if ("optional" in row && row.optional) {
      // proto3 `optional` is a synthetic oneof named `_<field>`.
      field.proto3Optional = true;
      field.oneofIndex = message.oneofDecl.length;
      message.oneofDecl.push(create(OneofDescriptorProtoSchema, { name: `_${name}` }));
    }
    message.field.push(field);
  }
  return message;
}

/** googleapis' error_details.proto as a descriptor, built from the table above. */
export function googleapisErrorDetailsFile(): FileDescriptorProto {
  const file = create(FileDescriptorProtoSchema, {
    name: "google/rpc/error_details.proto",
    package: "google.rpc",
    syntax: "proto3",
    dependency: ["google/protobuf/duration.proto"],
  });
  const built = new Map<string, DescriptorProto>();
  for (const [fullName, rows] of Object.entries(GOOGLEAPIS_ERROR_DETAILS)) {
    const message = buildMessage(fullName, rows);
    built.set(fullName, message);
    const parentName = fullName.includes(".") ? fullName.slice(0, fullName.lastIndexOf(".")) : "";
    const parent = built.get(parentName);
    if (parent) parent.nestedType.push(message);
    else if (parentName === "") file.messageType.push(message);
    else throw new Error(`list ${parentName} before ${fullName}`);
  }
  return file;
}
