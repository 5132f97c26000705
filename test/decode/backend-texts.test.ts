/**
 * Every failure text the Flyte 2 backend builds, exactly as it builds it, and the class,
 * kind, code and hint a user gets for it.
 *
 * Sources, in flyteorg/flyte at 6fadb90d65af26f4db908ec1c5f5af546a3e4299 (2026-08-21):
 * - `flyteplugins/go/tasks/pluginmachinery/flytek8s/pod_helper.go` (pod_helper);
 * - `executor/pkg/plugin/k8s/plugin_manager.go` (plugin_manager);
 * - `executor/pkg/controller/taskaction_controller.go` (taskaction_controller);
 * - `flyteplugins/go/tasks/pluginmachinery/ioutils/remote_file_output_reader.go`;
 * and the kubelet texts those copy from a pod's status: `pkg/kubelet/nodeshutdown`,
 * `pkg/kubelet/eviction/helpers.go`, `pkg/kubelet/preemption`, `pkg/kubelet/active_deadline.go`
 * and `pkg/kubelet/kubelet_pods.go` (the container environment).
 *
 * In the executor, a failure of kind SYSTEM is retried in place, and after more than
 * `maxSystemFailures` (3) of them in a row becomes `plugin "<id>" failed with system error
 * <n> times: [<code>] <message>`: that is the form a user sees, so the system texts appear
 * in it too.
 */

import { describe, expect, it } from "vitest";
import { classifyFailureMessage } from "../../src/decode/index.js";
import type { ErrorKind } from "../../src/errors/index.js";
import { containerLine, POD_FAILED } from "./fixtures.js";

interface BackendText {
  /** The backend file and function that build the text. */
  readonly source: string;
  readonly text: string;
  /** ErrorInfo's kind, as the backend sets it for this text. */
  readonly kind: "user" | "system";
  readonly cls: string;
  readonly code: string;
  readonly errorKind: ErrorKind;
  readonly retryable: boolean;
  /** Words the hint must contain, and words it must not. */
  readonly hint: RegExp;
  readonly notHint?: RegExp;
}

/** taskaction_controller recordSystemError, once the system failures pass the limit. */
const afterSystemFailures = (code: string, message: string) =>
  `plugin "container" failed with system error 4 times: [${code}] ${message}`;
/** pod_helper GetMessageAfterGracePeriod, over classifyWaitingContainer's joined message. */
const graceOver = (kubelet: string) =>
  `Grace period [3m0s] exceeded|containers with unready status: [main]|${kubelet}`;

const TEXTS: readonly BackendText[] = [
  {
    source: "pod_helper DemystifyFailure: OOMKilled container, no pod message",
    text: `${POD_FAILED}${containerLine("main", 137, "OOMKilled", "")}`,
    kind: "user",
    cls: "OOMError",
    code: "OOMKilled",
    errorKind: "user",
    retryable: false,
    hint: /^Raise the task's memory request and limit/,
  },
  {
    source: "pod_helper DeterminePrimaryContainerPhase: the primary's line alone",
    text: containerLine("main", 137, "OOMKilled", ""),
    kind: "user",
    cls: "OOMError",
    code: "OOMKilled",
    errorKind: "user",
    retryable: false,
    hint: /memory request and limit/,
  },
  {
    source: "pod_helper DemystifyFailure: an OOM whose termination message names the limit",
    text: `${POD_FAILED}${containerLine("main", 137, "OOMKilled", "memory limit 2Gi exceeded")}`,
    kind: "user",
    cls: "OOMError",
    code: "OOMKilled",
    errorKind: "user",
    retryable: false,
    hint: /memory limit of 2Gi/,
  },
  {
    source: "pod_helper DemystifySuccess",
    text: "Pod reported success despite being OOMKilled",
    kind: "user",
    cls: "OOMError",
    code: "OOMKilled",
    errorKind: "user",
    retryable: false,
    hint: /sidecar or an init container/,
  },
  {
    source: "pod_helper DeterminePrimaryContainerPhase: primary container missing",
    text: "Primary container [main] not found in pod's container statuses",
    kind: "user",
    cls: "PrimaryContainerNotFoundError",
    code: "PrimaryContainerNotFound",
    errorKind: "user",
    retryable: false,
    hint: /primary_container_name/,
  },
  {
    source: "kubelet nodeshutdown (reason Terminated), via pod_helper DemystifyFailure",
    text: afterSystemFailures(
      "Interrupted",
      `Pod was terminated in response to imminent node shutdown.${containerLine("main", 143, "Error", "")}`,
    ),
    kind: "system",
    cls: "TaskInterruptedError",
    code: "Interrupted",
    errorKind: "system",
    retryable: true,
    hint: /node shut down/,
  },
  {
    source: "kubelet nodeshutdown, as DemystifyFailure returns it before the executor wraps it",
    text: `Pod was terminated in response to imminent node shutdown.${containerLine("main", 137, "Error", "")}`,
    kind: "system",
    cls: "TaskInterruptedError",
    code: "Interrupted",
    errorKind: "system",
    retryable: true,
    hint: /node shut down/,
  },
  {
    source: "kubelet nodeshutdown admission (reason NodeShutdown), via DemystifyFailure",
    text: afterSystemFailures("Interrupted", "Pod was rejected as the node is shutting down."),
    kind: "system",
    cls: "TaskInterruptedError",
    code: "Interrupted",
    errorKind: "system",
    retryable: true,
    hint: /node shut down/,
  },
  {
    source: "GKE graceful shutdown (reason Shutdown), quoted in pod_helper DemystifyFailure",
    text: afterSystemFailures(
      "Interrupted",
      "Pod Node is in progress of shutting down, not admitting any new pods",
    ),
    kind: "system",
    cls: "TaskInterruptedError",
    code: "Interrupted",
    errorKind: "system",
    retryable: true,
    hint: /spot or preemptible/,
  },
  {
    source: "kubelet preemption (reason Preempting), via pod_helper DemystifyFailure",
    text: `Preempted in order to admit critical pod${containerLine("main", 137, "Error", "")}`,
    kind: "user",
    cls: "TaskInterruptedError",
    code: "Interrupted",
    errorKind: "system",
    retryable: true,
    hint: /preempted the pod to admit a critical pod/,
  },
  {
    source: "pod_helper DeterminePrimaryContainerPhase: the primary killed by SIGKILL",
    text: containerLine("main", 137, "Error", ""),
    kind: "system",
    cls: "TaskInterruptedError",
    code: "Interrupted",
    errorKind: "system",
    retryable: true,
    hint: /non-interruptible/,
  },
  {
    source: "pod_helper DemystifyFailure: no reason, so UnknownError, a system failure",
    text: afterSystemFailures("Interrupted", POD_FAILED),
    kind: "system",
    cls: "TaskInterruptedError",
    code: "Interrupted",
    errorKind: "system",
    retryable: true,
    hint: /Retry the run/,
  },
  {
    source: "plugin_manager checkResourcePhase: ResourceDeletedExternally",
    text: afterSystemFailures(
      "ResourceDeletedExternally",
      'resource not found, name [flytesnacks-development/r1-a0-0]. reason: pods "r1-a0-0" not found',
    ),
    kind: "system",
    cls: "TaskInterruptedError",
    code: "Interrupted",
    errorKind: "system",
    retryable: true,
    hint: /pod was deleted while it ran/,
  },
  {
    source: "plugin_manager checkResourcePhase: UnexpectedObjectDeletion",
    text: afterSystemFailures(
      "UnexpectedObjectDeletion",
      "object [flytesnacks-development/r1-a0-0] terminated unexpectedly in the background",
    ),
    kind: "system",
    cls: "TaskInterruptedError",
    code: "Interrupted",
    errorKind: "system",
    retryable: true,
    hint: /pod was deleted while it ran/,
  },
  {
    source:
      "kubelet eviction helpers (nodeLowMessageFmt, containerMessageFmt), via DemystifyFailure",
    text: `The node was low on resource: memory. Threshold quantity: 100Mi, available: 56Mi. Container main was using 1800Mi, which exceeds its request of 512Mi. ${containerLine("main", 137, "Error", "")}`,
    kind: "user",
    cls: "RuntimeUserError",
    code: "Evicted",
    errorKind: "user",
    retryable: true,
    hint: /low on memory/,
  },
  {
    source: "kubelet eviction helpers: node pressure on ephemeral storage",
    text: "The node was low on resource: ephemeral-storage. Threshold quantity: 10Gi, available: 2Gi. ",
    kind: "user",
    cls: "RuntimeUserError",
    code: "Evicted",
    errorKind: "user",
    retryable: true,
    hint: /low on ephemeral-storage/,
  },
  {
    source: "kubelet eviction helpers (nodeConditionMessageFmt)",
    text: "The node had condition: [DiskPressure]. ",
    kind: "user",
    cls: "RuntimeUserError",
    code: "Evicted",
    errorKind: "user",
    retryable: true,
    hint: /\[DiskPressure\]/,
  },
  {
    source: "kubelet eviction helpers (containerEphemeralStorageMessageFmt)",
    text: 'Container main exceeded its local ephemeral storage limit "1Gi". ',
    kind: "user",
    cls: "RuntimeUserError",
    code: "Evicted",
    errorKind: "user",
    retryable: false,
    hint: /ephemeral-storage limit/,
  },
  {
    source: "kubelet eviction helpers (podEphemeralStorageMessageFmt)",
    text: "Pod ephemeral local storage usage exceeds the total limit of containers 2Gi. ",
    kind: "user",
    cls: "RuntimeUserError",
    code: "Evicted",
    errorKind: "user",
    retryable: false,
    hint: /ephemeral-storage limit/,
  },
  {
    source: "kubelet eviction helpers (emptyDirMessageFmt)",
    text: 'Usage of EmptyDir volume "scratch" exceeds the limit "500Mi". ',
    kind: "user",
    cls: "RuntimeUserError",
    code: "Evicted",
    errorKind: "user",
    retryable: false,
    hint: /local disk/,
  },
  {
    source: "kubelet active deadline (reason DeadlineExceeded), via DemystifyFailure",
    text: `Pod was active on the node longer than the specified deadline${containerLine("main", 137, "Error", "")}`,
    kind: "user",
    cls: "TaskTimeoutError",
    code: "DeadlineExceeded",
    errorKind: "user",
    retryable: false,
    hint: /active deadline/,
  },
  {
    source: "pod_helper classifyWaitingContainer: CreateContainerConfigError, missing secret",
    text: graceOver('secret "db-creds" not found'),
    kind: "user",
    cls: "RuntimeUserError",
    code: "CreateContainerConfigError",
    errorKind: "user",
    retryable: false,
    hint: /secret "db-creds"/,
    notHint: /image/,
  },
  {
    source: "pod_helper classifyWaitingContainer: CreateContainerConfigError, missing secret key",
    text: graceOver("couldn't find key password in Secret flytesnacks-development/db-creds"),
    kind: "user",
    cls: "RuntimeUserError",
    code: "CreateContainerConfigError",
    errorKind: "user",
    retryable: false,
    hint: /key password in Secret flytesnacks-development\/db-creds/,
  },
  {
    source: "pod_helper classifyWaitingContainer: CreateContainerConfigError, missing config map",
    text: graceOver('configmap "settings" not found'),
    kind: "user",
    cls: "RuntimeUserError",
    code: "CreateContainerConfigError",
    errorKind: "user",
    retryable: false,
    hint: /configmap "settings"/,
  },
  {
    source: "pod_helper classifyWaitingContainer: CreateContainerError past its grace period",
    text: graceOver(
      'failed to reserve container name "main_r1": name "main_r1" is reserved for "4f1c"',
    ),
    kind: "user",
    cls: "RuntimeUserError",
    code: "CreateContainerError",
    errorKind: "user",
    retryable: false,
    hint: /entrypoint/,
    notHint: /image pull|registry/,
  },
  {
    source: "pod_helper classifyWaitingContainer: ImagePullBackOff past its grace period",
    text: graceOver('Back-off pulling image "ghcr.io/acme/app:v1"'),
    kind: "user",
    cls: "ImagePullBackOffError",
    code: "ImagePullBackOff",
    errorKind: "user",
    retryable: false,
    hint: /image and tag exist/,
  },
  {
    source: "pod_helper classifyWaitingContainer and isRegistryRateLimited: a registry's 429",
    text: afterSystemFailures(
      "ContainersNotReady|ImagePullBackOff",
      graceOver(
        'Failed to pull image "docker.io/library/python:3.12": 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.',
      ),
    ),
    kind: "system",
    cls: "ImagePullBackOffError",
    code: "ImagePullBackOff",
    errorKind: "system",
    retryable: true,
    hint: /rate-limited/,
    notHint: /give the cluster credentials|pull secret/,
  },
  {
    source: "pod_helper classifyWaitingContainer: a pull the registry refused",
    text: graceOver(
      'Failed to pull image "ghcr.io/acme/private:v1": rpc error: code = Unknown desc = failed to resolve reference "ghcr.io/acme/private:v1": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized',
    ),
    kind: "user",
    cls: "ImagePullBackOffError",
    code: "ImagePullBackOff",
    errorKind: "user",
    retryable: false,
    hint: /credentials for the registry/,
  },
  {
    source: "pod_helper classifyWaitingContainer: an image that does not exist",
    text: graceOver(
      'Failed to pull image "ghcr.io/acme/app:v9": rpc error: code = NotFound desc = failed to resolve reference "ghcr.io/acme/app:v9": ghcr.io/acme/app:v9: not found',
    ),
    kind: "user",
    cls: "ImagePullBackOffError",
    code: "ImagePullBackOff",
    errorKind: "user",
    retryable: false,
    hint: /does not exist in the registry/,
  },
  {
    source: "pod_helper classifyWaitingContainer: ImagePullBackOff inside its grace period",
    text: '[ContainersNotReady|ImagePullBackOff]: containers with unready status: [main]|Back-off pulling image "ghcr.io/acme/app:v1"',
    kind: "user",
    cls: "ImagePullBackOffError",
    code: "ImagePullBackOff",
    errorKind: "user",
    retryable: false,
    hint: /image/,
  },
  {
    source: "pod_helper classifyWaitingContainer: InvalidImageName fails at once",
    text: 'containers with unready status: [main]|Failed to apply default image tag "ghcr.io/Acme/App V1": couldn\'t parse image reference "ghcr.io/Acme/App V1": invalid reference format',
    kind: "user",
    cls: "InvalidImageNameError",
    code: "InvalidImageName",
    errorKind: "user",
    retryable: false,
    hint: /image reference/,
  },
  {
    source: "pod_helper DemystifyPending: PodPendingTimeout, unschedulable for resources",
    text: afterSystemFailures(
      "PodPendingTimeout",
      "Unschedulable:0/3 nodes are available: 1 Insufficient cpu, 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
    ),
    kind: "system",
    cls: "RuntimeSystemError",
    code: "PodPendingTimeout",
    errorKind: "system",
    retryable: true,
    hint: /enough cpu, memory/,
  },
  {
    source: "pod_helper DemystifyPending: PodPendingTimeout, no node matches the selector",
    text: afterSystemFailures(
      "PodPendingTimeout",
      "Unschedulable:0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
    ),
    kind: "system",
    cls: "RuntimeSystemError",
    code: "PodPendingTimeout",
    errorKind: "system",
    retryable: true,
    hint: /node selector, affinity or tolerations/,
  },
  {
    source: "pod_helper DemystifyPending: PodPendingTimeout, an untolerated taint",
    text: afterSystemFailures(
      "PodPendingTimeout",
      "Unschedulable:0/2 nodes are available: 2 node(s) had untolerated taint {nvidia.com/gpu: present}.",
    ),
    kind: "system",
    cls: "RuntimeSystemError",
    code: "PodPendingTimeout",
    errorKind: "system",
    retryable: true,
    hint: /tolerations/,
  },
  {
    source: "pod_helper DemystifyPending: PodPendingTimeout while the container is being created",
    text: afterSystemFailures(
      "PodPendingTimeout",
      "[ContainersNotReady|ContainerCreating]: containers with unready status: [main]|",
    ),
    kind: "system",
    cls: "RuntimeSystemError",
    code: "PodPendingTimeout",
    errorKind: "system",
    retryable: true,
    hint: /volume that did not mount/,
  },
  {
    source: "plugin_manager launchResource: Forbidden by a resource quota (RuntimeFailure)",
    text: 'pods "r1-a0-0" is forbidden: exceeded quota: compute-resources, requested: limits.memory=8Gi, used: limits.memory=30Gi, limited: limits.memory=32Gi',
    kind: "user",
    cls: "RuntimeUserError",
    code: "RuntimeFailure",
    errorKind: "user",
    retryable: true,
    hint: /resource quota/,
  },
  {
    source: "remote_file_output_reader ReadError: ErrorFileBadFormat",
    text: afterSystemFailures(
      "ErrorFileBadFormat",
      "error not formatted correctly, nil error @path [s3://flyte-data/metadata/p/d/r1/a0/1/error.pb]",
    ),
    kind: "system",
    cls: "RuntimeSystemError",
    code: "ErrorFileBadFormat",
    errorKind: "system",
    retryable: false,
    hint: /without an error in it/,
  },
  {
    source: "remote_file_output_reader ReadError: ErrorFileNotFound",
    text: afterSystemFailures(
      "ErrorFileNotFound",
      "path:s3://flyte-data/metadata/p/d/r1/a0/1/error.pb: not found",
    ),
    kind: "system",
    cls: "RuntimeSystemError",
    code: "ErrorFileNotFound",
    errorKind: "system",
    retryable: true,
    hint: /readable error file/,
  },
  {
    source: "taskaction_controller reconcileTask: MaxRetriesExceeded",
    text: "task failed after 3 attempt(s)",
    kind: "user",
    cls: "RetriesExhaustedError",
    code: "MaxRetriesExceeded",
    errorKind: "user",
    retryable: false,
    hint: /All 3 attempts failed/,
  },
  {
    source: "taskaction_controller reconcileTask: MaxRetriesExceeded with no retries",
    text: "task failed after 1 attempt(s)",
    kind: "user",
    cls: "RetriesExhaustedError",
    code: "MaxRetriesExceeded",
    errorKind: "user",
    retryable: false,
    hint: /only attempt failed/,
  },
  {
    source: "taskaction_controller recordSystemError: MaxSystemFailuresExceeded",
    text: afterSystemFailures(
      "CorruptedPluginState",
      "plugin state version mismatch expected [1] got [2]",
    ),
    kind: "system",
    cls: "RuntimeSystemError",
    code: "MaxSystemFailuresExceeded",
    errorKind: "system",
    retryable: true,
    hint: /4 times in a row/,
  },
  {
    source: "pod_helper DemystifyFailure: a user's container exited 2",
    text: `${POD_FAILED}${containerLine("main", 2, "Error", "")}`,
    kind: "user",
    cls: "RuntimeUserError",
    code: "UserError",
    errorKind: "user",
    retryable: false,
    hint: /exited with code 2/,
  },
];

describe("every failure text of the backend", () => {
  it.each(TEXTS.map((t) => [t.source, t] as const))("%s", (_, t) => {
    const error = classifyFailureMessage(t.text, t.kind);
    expect(error.name).toBe(t.cls);
    expect(error.code).toBe(t.code);
    expect(error.kind).toBe(t.errorKind);
    expect(error.retryable).toBe(t.retryable);
    expect(error.hint).toMatch(t.hint);
    if (t.notHint) expect(error.hint).not.toMatch(t.notHint);
    // The text is kept (past a credential-looking `token: …`, which the scrubber hides).
    expect(error.rawMessage).toContain(t.text.trim().slice(-24));
  });

  it("reads LF as well as CRLF line ends in every text with container lines", () => {
    for (const t of TEXTS.filter((x) => x.text.includes("\r\n"))) {
      const error = classifyFailureMessage(t.text.replaceAll("\r\n", "\n"), t.kind);
      expect([error.name, error.code]).toEqual([t.cls, t.code]);
    }
  });
});
