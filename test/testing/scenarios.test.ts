import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import {
  type ActionDetails,
  ErrorInfo_Kind,
} from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";
import {
  type OutcomeInfo,
  outcomeCatalogue,
  startTestServer,
  type TestServer,
} from "../../src/testing/index.js";
import { collapse, makeClient, protocolCases, type TestClient } from "./helpers.js";
import { playTimeline } from "./timeline.js";

const podFailed = "Pod failed. No message received from kubernetes.";

/** The exact result each outcome must carry, written out independently of the server's code. */
function expectedResult(outcome: string, run: string): ActionDetails["result"] | "none" {
  const error = (message: string, kind: ErrorInfo_Kind) => ({
    case: "errorInfo" as const,
    message,
    kind,
  });
  switch (outcome) {
    case "user-error":
      return errorResult(
        error(
          [
            "Traceback (most recent call last):",
            '  File "/root/pipeline.py", line 41, in clean_rows',
            '    raise ValueError(f"row {i}: expected 3 columns, got {len(row)}")',
            "ValueError: row 17: expected 3 columns, got 2",
          ].join("\n"),
          ErrorInfo_Kind.USER,
        ),
      );
    case "oom":
      return errorResult(
        error(
          `${podFailed}\r\n[${run}-a0-2] terminated with exit code (137). Reason [OOMKilled]. Message: \n.`,
          ErrorInfo_Kind.USER,
        ),
      );
    case "image-pull-backoff":
      return errorResult(
        error(
          'Grace period [3m0s] exceeded|Back-off pulling image "ghcr.io/acme/trainer:1.4.2"',
          ErrorInfo_Kind.USER,
        ),
      );
    case "invalid-image":
      return errorResult(
        error(
          'Failed to apply default image tag "ghcr.io/acme/trainer::1.4.2": couldn\'t parse image reference "ghcr.io/acme/trainer::1.4.2": invalid reference format',
          ErrorInfo_Kind.USER,
        ),
      );
    case "primary-container-not-found":
      return errorResult(
        error(
          `Primary container [${run}-a0-0] not found in pod's container statuses`,
          ErrorInfo_Kind.USER,
        ),
      );
    case "interrupted":
      return errorResult(
        error(
          `${podFailed}\r\n[${run}-a0-0] terminated with exit code (137). Reason [Error]. Message: \nSIGKILL: node drained for spot preemption.\r\n[flyte-copilot-sidecar] terminated with ExitCode 0.`,
          ErrorInfo_Kind.SYSTEM,
        ),
      );
    case "retries-exhausted":
      return errorResult(error("task failed after 3 attempt(s)", ErrorInfo_Kind.USER));
    case "timeout":
      return errorResult(error("task execution timeout [5m0s] expired", ErrorInfo_Kind.USER));
    case "system-error":
      return errorResult(
        error(
          `failed to read error file at [s3://flyte-data/metadata/flytesnacks/development/${run}/a0/0/error.pb]: object store unavailable`,
          ErrorInfo_Kind.SYSTEM,
        ),
      );
    case "unknown-error":
      return errorResult(
        error("task exited without reporting a result or an error", ErrorInfo_Kind.UNSPECIFIED),
      );
    default:
      return "none";
  }
}

function errorResult(e: { case: "errorInfo"; message: string; kind: ErrorInfo_Kind }) {
  return {
    case: e.case,
    value: expect.objectContaining({ message: e.message, kind: e.kind }),
  } as unknown as ActionDetails["result"];
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ speed: 1000 });
});
afterAll(async () => {
  await server.close();
});

describe.each(protocolCases)("$name", (protocol) => {
  let tc: TestClient;
  beforeAll(() => {
    tc = makeClient(protocol, server.url);
  });
  afterAll(() => tc.close());

  test.each(outcomeCatalogue.map((info, i) => ({ ...info, index: i })))(
    "$name plays its whole timeline",
    async (info: OutcomeInfo & { index: number }) => {
      const name = `${protocol.tag}-${String(info.index).padStart(2, "0")}`;
      const { created, seenByWatchRuns, watched, fetched } = await playTimeline(
        tc.client,
        info,
        name,
      );
      expect(created.run?.action?.id?.run?.name).toBe(name);
      expect(created.run?.action?.status?.phase).toBe(ActionPhase.QUEUED);

      // The whole phase sequence, from QUEUED to the end.
      const expectedPhases = info.terminal ? info.phases : [...info.phases, ActionPhase.ABORTED];
      expect(collapse(seenByWatchRuns)).toEqual(expectedPhases);
      // The watch saw a suffix of it, and ended right after the terminal state.
      const watchedPhases = collapse(watched.map((d) => d.status?.phase ?? -1));
      expect(expectedPhases.slice(-watchedPhases.length)).toEqual(watchedPhases);

      const last = watched.at(-1) as ActionDetails;
      expect(fetched.status?.phase).toBe(last.status?.phase);
      expect(fetched.status?.endTime).toBeDefined();
      expect(fetched.status?.startTime).toBeDefined();
      expect(fetched.status?.attempts).toBe(info.attempts);
      expect(fetched.attempts.map((a) => a.attempt)).toEqual(
        Array.from({ length: info.attempts }, (_, i) => i + 1),
      );
      const lastAttempt = fetched.attempts.at(-1);
      expect(lastAttempt?.logContext?.primaryPodName).toBe(`${name}-a0-${info.attempts - 1}`);
      expect(lastAttempt?.cluster).not.toBe("");
      expect(lastAttempt?.endTime).toBeDefined();
      expect(lastAttempt?.phaseTransitions[0]?.phase).toBe(ActionPhase.INITIALIZING);
      expect(lastAttempt?.phaseTransitions.at(-1)?.phase).toBe(fetched.status?.phase);

      if (info.name === "aborted" || info.name === "paused") {
        expect(fetched.result.case).toBe("abortInfo");
        const abort = fetched.result.case === "abortInfo" ? fetched.result.value : undefined;
        if (info.name === "aborted") {
          expect(abort?.reason).toBe("Superseded by a newer run of the same pipeline");
          expect(abort?.abortedBy?.principal.case).toBe("user");
          expect(
            abort?.abortedBy?.principal.case === "user" &&
              abort.abortedBy.principal.value.spec?.email,
          ).toBe("ana.lopez@example.com");
        } else {
          expect(abort?.reason).toBe("no longer needed");
        }
      } else {
        const expected = expectedResult(info.name, name);
        if (expected === "none") expect(fetched.result.case).toBeUndefined();
        else expect(fetched.result).toEqual(expected);
      }
    },
  );
});
