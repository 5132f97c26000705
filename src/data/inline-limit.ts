/**
 * The inline size limit of inputs. Inputs travel inside the CreateRun message, and a task
 * reads at most `max_inline_io_bytes` of them (10 MiB by default in the Python SDK); a
 * gRPC server refuses larger messages outright (grpc-go: 4 MiB), which the decoder turns
 * into InlineIOMaxBytesBreached too (`src/decode/request-too-large.ts`). Checking before the
 * call gives the error with both sizes, and without a round trip.
 */

import { toBinary } from "@bufbuild/protobuf";
import { InlineIOMaxBytesBreached } from "../errors/index.js";
import { type Inputs, InputsSchema } from "../gen/flyteidl2/task/common_pb.js";

/** The Python SDK's `MAX_INLINE_IO_BYTES`: 10 MiB. */
export const DEFAULT_MAX_INLINE_BYTES = 10 * 1024 * 1024;

/** A number as Python's `str(float)` writes it, so messages read like the SDK's. */
function pythonFloat(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

/**
 * Throws InlineIOMaxBytesBreached when the encoded inputs exceed `maxBytes`, with the SDK's
 * message: `Inputs exceed max_bytes limit of 10.0 MB, actual size: 12.5 MB`.
 */
export function checkInlineInputs(inputs: Inputs, maxBytes: number, taskName = ""): void {
  const size = toBinary(InputsSchema, inputs).length;
  if (size <= maxBytes) return;
  throw new InlineIOMaxBytesBreached({
    message: `Inputs exceed max_bytes limit of ${pythonFloat(maxBytes / 1024 / 1024)} MB, actual size: ${pythonFloat(size / 1024 / 1024)} MB`,
    details: { sizeBytes: size, maxBytes, ...(taskName === "" ? {} : { taskName }) },
  });
}
