import { type Client, createClient } from "@connectrpc/connect";
import { beforeAll, describe, expect, test } from "vitest";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { RunService } from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import { type OutcomeInfo, outcomeCatalogue, scenarioCatalogue } from "../../src/testing/index.js";
import { playTimeline } from "../testing/timeline.js";
import { collapse, expectedErrorInfo, fetchTransports, useMockFlyte } from "./helpers.js";

const mock = useMockFlyte({ baseUrl: "http://scenarios.flyte.test", speed: 1000 });

test("the handlers serve the testing package's catalogue object, not a copy", () => {
  expect(mock.flyte.scenarios).toBe(scenarioCatalogue);
});

describe.each(fetchTransports)("$name", (transport) => {
  let client: Client<typeof RunService>;
  beforeAll(() => {
    client = createClient(RunService, transport.make(mock.flyte.baseUrl));
  });

  test.each(outcomeCatalogue.map((info, i) => ({ ...info, index: i })))(
    "$name plays its whole timeline",
    async (info: OutcomeInfo & { index: number }) => {
      const name = `${transport.tag}-${String(info.index).padStart(2, "0")}`;
      const { created, seenByWatchRuns, watched, fetched, finalPhase } = await playTimeline(
        client,
        info,
        name,
      );
      expect(created.run?.action?.id?.run?.name).toBe(name);
      expect(created.run?.action?.status?.phase).toBe(ActionPhase.QUEUED);

      const expectedPhases = info.terminal ? info.phases : [...info.phases, ActionPhase.ABORTED];
      expect(collapse(seenByWatchRuns)).toEqual(expectedPhases);
      // The watch saw a suffix of the sequence and ended right after the terminal state.
      const watchedPhases = collapse(watched.map((d) => d.status?.phase ?? -1));
      expect(expectedPhases.slice(-watchedPhases.length)).toEqual(watchedPhases);
      expect(watchedPhases.at(-1)).toBe(finalPhase);

      expect(fetched.status?.phase).toBe(finalPhase);
      expect(fetched.status?.endTime).toBeDefined();
      expect(fetched.status?.attempts).toBe(info.attempts);
      expect(fetched.attempts.map((a) => a.attempt)).toEqual(
        Array.from({ length: info.attempts }, (_, i) => i + 1),
      );
      expect(fetched.attempts.at(-1)?.logContext?.primaryPodName).toBe(
        `${name}-a0-${info.attempts - 1}`,
      );

      if (info.name === "aborted" || info.name === "paused") {
        const abort = fetched.result.case === "abortInfo" ? fetched.result.value : undefined;
        expect(abort?.reason).toBe(
          info.name === "aborted"
            ? "Superseded by a newer run of the same pipeline"
            : "no longer needed",
        );
        return;
      }
      const expected = expectedErrorInfo(info.name, name);
      if (expected === undefined) {
        expect(fetched.result.case).toBeUndefined();
        return;
      }
      expect(fetched.result.case).toBe("errorInfo");
      const errorInfo = fetched.result.case === "errorInfo" ? fetched.result.value : undefined;
      expect(errorInfo?.message).toBe(expected.message);
      expect(errorInfo?.kind).toBe(expected.kind);
      // The last watched message carries the same ErrorInfo as the read.
      const last = watched.at(-1);
      expect(last?.result.case === "errorInfo" && last.result.value.message).toBe(expected.message);
    },
  );
});
