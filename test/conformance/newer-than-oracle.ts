/**
 * Members our proto declares that the oracle (`@flyteorg/flyteidl2` 2.0.16) does not have yet,
 * because the live contract is newer than that release (see FLYTE-FACTS.md section 1).
 *
 * This is the only place such members are allowed. Each entry pins what we expect, so the
 * checker still verifies the number and that upstream does not use it for something else.
 * When the oracle is upgraded and gains a member, the checker reports the entry as stale.
 */
export type NewerMember =
  | { readonly kind: "enumValue"; readonly fullName: string; readonly number: number }
  | {
      readonly kind: "field";
      readonly fullName: string;
      readonly number: number;
      readonly oneof: string | undefined;
    }
  | { readonly kind: "message"; readonly fullName: string };

/** The allow-list itself: everything else missing upstream is a failure. */
export const NEWER_THAN_ORACLE: readonly NewerMember[] = [
  // Terminal success: the result was reused from an earlier run.
  {
    kind: "enumValue",
    fullName: "flyteidl2.common.ActionPhase.ACTION_PHASE_RECOVERED",
    number: 10,
  },
  // A condition resolved by a signal; third member of ActionDetails.result.
  {
    kind: "field",
    fullName: "flyteidl2.workflow.ActionDetails.signal_info",
    number: 10,
    oneof: "result",
  },
  // The message signal_info needs. Its fields cannot be compared; they are counted as allowed.
  { kind: "message", fullName: "flyteidl2.workflow.SignalInfo" },
];
