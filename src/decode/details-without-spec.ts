import { create, fromBinary, type UnknownField } from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import {
  type ActionDetails,
  ActionDetailsSchema,
} from "../gen/flyteidl2/workflow/run_definition_pb.js";
import {
  type GetActionDetailsResponse,
  GetActionDetailsResponseSchema,
} from "../gen/flyteidl2/workflow/run_service_pb.js";

/** ActionDetails' `spec` oneof: `TaskSpec task = 6`, `TraceSpec trace = 8`. */
const SPEC_FIELDS: ReadonlySet<number> = new Set([6, 8]);

/**
 * Parses a GetActionDetails reply without building its task spec, for the detail read of a
 * settling wait, which needs the failure and the attempts, never the spec. The spec is most
 * of the reply's fields, so it was most of the read's parsing and garbage; its bytes stay on
 * the message as unknown fields, so serialising it again gives the reply back whole. A
 * watch stream's ActionDetails carry no spec either.
 */
export function parseDetailsWithoutSpec(bytes: Uint8Array): GetActionDetailsResponse {
  const reader = new BinaryReader(bytes);
  const response = create(GetActionDetailsResponseSchema);
  const unknown: UnknownField[] = [];
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    if (no === 1 && wireType === WireType.LengthDelimited) {
      response.details = parseActionDetails(reader.bytes());
    } else {
      unknown.push({ no, wireType, data: reader.skip(wireType, no) });
    }
  }
  if (unknown.length > 0) response.$unknown = unknown;
  return response;
}

function parseActionDetails(bytes: Uint8Array): ActionDetails {
  const reader = new BinaryReader(bytes);
  const spec: UnknownField[] = [];
  const kept: Uint8Array[] = [];
  let keptLength = 0;
  let start = 0;
  while (reader.pos < reader.len) {
    const fieldStart = reader.pos;
    const [no, wireType] = reader.tag();
    const data = reader.skip(wireType, no);
    if (!SPEC_FIELDS.has(no)) continue;
    // A run of fields to keep ends where a spec field begins.
    if (fieldStart > start) {
      kept.push(bytes.subarray(start, fieldStart));
      keptLength += fieldStart - start;
    }
    start = reader.pos;
    spec.push({ no, wireType, data });
  }
  if (spec.length === 0) return fromBinary(ActionDetailsSchema, bytes);
  if (start < bytes.byteLength) {
    kept.push(bytes.subarray(start));
    keptLength += bytes.byteLength - start;
  }
  const joined = new Uint8Array(keptLength);
  let at = 0;
  for (const part of kept) {
    joined.set(part, at);
    at += part.byteLength;
  }
  const details = fromBinary(ActionDetailsSchema, joined);
  details.$unknown = [...(details.$unknown ?? []), ...spec];
  return details;
}
