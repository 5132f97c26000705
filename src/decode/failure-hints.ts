/**
 * Hints for task failures, chosen by the evidence rather than by the class.
 *
 * A class's hint is right for its typical case only: an ImagePullBackOffError caused by a
 * registry's rate limit must not send the user to fix credentials, and an OOM with a known
 * memory limit can say which limit to raise. Each hint here is one sentence a person can
 * act on; `undefined` keeps the class's own.
 */

import type {
  FailureRule,
  ImagePullCause,
  InterruptCause,
  PendingCause,
} from "./failure-evidence.js";

/** The hint for what a failure message showed; `undefined` keeps the class's. */
export function hintForRule(rule: FailureRule): string | undefined {
  switch (rule.rule) {
    case "oom":
      if (rule.despiteSuccess) {
        return "A container of the pod (often a sidecar or an init container) was killed for memory although the task exited 0: raise that container's memory.";
      }
      // Without a limit in the text, the class's hint says what there is to say.
      return rule.memoryLimit === undefined
        ? undefined
        : `The container went over its memory limit of ${rule.memoryLimit}: raise the task's memory limit above its peak use, or lower its working set.`;
    case "imagePullBackOff":
      return imagePullHint(rule.cause);
    case "configMissing":
      return rule.missing === undefined
        ? "The pod refers to a secret or config map that does not exist: create it in the task's namespace, or fix the task's reference to it."
        : `The pod refers to ${rule.missing}, which does not exist: create it in the task's namespace, or fix the task's reference to it.`;
    case "createContainer":
      return "The container runtime could not create the container: check the image's entrypoint and the task's command, then launch a new run.";
    case "evicted":
      if (rule.overOwnLimit) {
        return "The task wrote more to local disk than its ephemeral-storage limit: raise that limit, or move large data through files and directories in blob storage.";
      }
      return `The node ran low on ${rule.resource ?? "a resource"} and evicted the pod, which used more than it requested: set the task's request to its real use, then retry.`;
    case "deadlineExceeded":
      return "The pod ran past its active deadline: raise the task's timeout, or make the task faster.";
    case "interrupted":
      return interruptedHint(rule.cause);
    case "pendingTimeout":
      return pendingHint(rule.cause, rule.resources);
    case "quotaExceeded":
      return "The namespace's resource quota has no room for the pod: lower the task's requests, wait for other runs to finish, or ask for a larger quota.";
    case "errorFile":
      return rule.code === "ErrorFileBadFormat"
        ? "The task wrote an error file without an error in it: check that the Flyte SDK in the image matches the platform."
        : "The task ended without a readable error file: look in its logs for a crash before the Flyte runtime could report, and check the data store is reachable.";
    case "retriesExhausted":
      return rule.attempts <= 1
        ? "The task's only attempt failed: read that attempt's error in the task's logs, and fix it (or give the task retries if it was transient)."
        : `All ${rule.attempts} attempts failed: read the last attempt's error in the task's logs, and fix it before raising the retries.`;
    case "systemFailures":
      return `The platform failed to run the task${rule.times === undefined ? "" : ` ${rule.times} times`} in a row: retry later, and report it to your Flyte administrator if it persists.`;
    case "primaryContainerNotFound":
    case "invalidImageName":
    case "none":
      return undefined;
  }
}

function imagePullHint(cause: ImagePullCause): string | undefined {
  switch (cause) {
    case "rateLimited":
      return "The registry rate-limited the image pull (HTTP 429), which is not a credentials problem: retry later, or authenticate the pulls or mirror the image to raise the limit.";
    case "unauthorized":
      return "The registry refused to serve the image: give the cluster credentials for the registry (an image pull secret), or make the image public.";
    case "notFound":
      return "The image or its tag does not exist in the registry: check the name and the tag, and that the image was pushed.";
    case "unknown":
      return undefined;
  }
}

function interruptedHint(cause: InterruptCause): string | undefined {
  switch (cause) {
    case "nodeShutdown":
      return "The node shut down while the task ran (spot or preemptible capacity, or maintenance): retry; add retries, or use non-interruptible nodes if it keeps happening.";
    case "preempted":
      return "The kubelet preempted the pod to admit a critical pod: retry; a higher priority class or requests that fit the node avoid it.";
    case "podDeleted":
      return "The task's pod was deleted while it ran (by scheduler preemption, a node drain or a person): retry the run.";
    case "killed":
      return undefined;
  }
}

function pendingHint(cause: PendingCause, resources: string | undefined): string {
  switch (cause) {
    case "insufficient":
      return `No node had enough ${resources ?? "resources"} for the pod: lower the task's requests, or ask for more capacity; a retry may succeed once capacity frees up.`;
    case "placement":
      return "No node matches the task's node selector, affinity or tolerations: fix them, or ask for nodes that match.";
    case "containerCreating":
      return "The container never started: look at the pod's events for a volume that did not mount, such as a missing secret or config map.";
    case "unknown":
      return "The pod stayed pending past the platform's timeout: check the cluster's capacity and the pod's events, then retry.";
  }
}

/**
 * The hint for a platform code carried by an ExecutionError or an error document, where the
 * code is known; `undefined` keeps the class's.
 */
export function hintForCode(code: string): string | undefined {
  switch (code) {
    case "ErrorFileNotFound":
      return hintForRule({ rule: "errorFile", code });
    case "ErrorFileBadFormat":
      return hintForRule({ rule: "errorFile", code });
    case "PodPendingTimeout":
      return hintForRule({ rule: "pendingTimeout", cause: "unknown" });
    case "MaxSystemFailuresExceeded":
      return hintForRule({ rule: "systemFailures" });
    case "ResourceDeletedExternally":
    case "UnexpectedObjectDeletion":
      return hintForRule({ rule: "interrupted", cause: "podDeleted" });
    case "DeadlineExceeded":
      return hintForRule({ rule: "deadlineExceeded" });
    case "Evicted":
      return "The pod was evicted from its node: set the task's requests to its real use, then retry.";
    case "CreateContainerError":
      return hintForRule({ rule: "createContainer" });
    case "CreateContainerConfigError":
      return hintForRule({ rule: "configMissing" });
    default:
      return undefined;
  }
}
