/**
 * The payloads the decode benchmarks use, built from the test server's own `oom` scenario so
 * the figures describe what a client really receives.
 */

import { create, toBinary } from "@bufbuild/protobuf";
import { ActionPhase } from "../src/gen/flyteidl2/common/phase_pb.js";
import {
  type ActionDetails,
  ActionDetailsSchema,
  ErrorInfo_Kind,
  ErrorInfoSchema,
} from "../src/gen/flyteidl2/workflow/run_definition_pb.js";
import { createRunStore } from "../src/testing/index.js";

/**
 * The final state of an `oom` run: FAILED, three attempts, each ending in an OOMKilled
 * container line, as the test server writes it.
 */
export async function oomRunDetails(): Promise<ActionDetails> {
  const store = createRunStore({ speed: 1_000_000 });
  try {
    const done = new Promise<void>((resolve) => {
      store.on("terminal", () => resolve());
    });
    store.create({ name: "bench-oom-1", scenario: "oom" });
    await done;
    const details = store.get("bench-oom-1");
    if (details?.status?.phase !== ActionPhase.FAILED) throw new Error("oom run did not fail");
    return details;
  } finally {
    store.dispose();
  }
}

/** Container output a crashing Python task typically leaves in the kubelet's message. */
const STDERR_TAIL = [
  "Traceback (most recent call last):",
  '  File "/root/train.py", line 88, in <module>',
  "    model.fit(batches, epochs=12)",
  '  File "/usr/local/lib/python3.12/site-packages/trainer/loop.py", line 311, in fit',
  "    grads = self.step(batch)",
  "MemoryError: Unable to allocate 3.81 GiB for an array with shape (32, 4096, 7800)",
].join("\n");

/**
 * The benchmark's subject: the `oom` run's final state, with the last attempt's and the
 * result's messages carrying a sidecar line and the task's last stderr lines as well, the
 * way a real OOM reads. About 2 KB encoded.
 */
export async function failedOomDetails(): Promise<{ details: ActionDetails; bytes: Uint8Array }> {
  const details = await oomRunDetails();
  const pod = `${details.id?.run?.name ?? "run"}-a0-2`;
  const message =
    "Pod failed. No message received from kubernetes." +
    `\r\n[${pod}] terminated with exit code (137). Reason [OOMKilled]. Message: \n${STDERR_TAIL}.` +
    "\r\n[istio-proxy] terminated with ExitCode 0.";
  const info = create(ErrorInfoSchema, { message, kind: ErrorInfo_Kind.USER });
  details.result = { case: "errorInfo", value: info };
  const last = details.attempts.at(-1);
  if (last !== undefined) last.errorInfo = create(ErrorInfoSchema, info);
  return { details, bytes: toBinary(ActionDetailsSchema, details) };
}
