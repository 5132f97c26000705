/**
 * The evidence rules for a FAILED action, as pure text tests.
 *
 * RunService drops the backend's error code and keeps only a message and a kind, so the
 * platform's code survives only as words inside the message: the texts that flyteplugins'
 * pod helper, the executor and the kubelet write (FLYTE-FACTS section 5, and the README's
 * decoding section for each text's source). Each test below looks for one of those fixed
 * phrases, and reads the few facts a hint needs (a memory limit, a missing secret's name, a
 * retry count). All of them are `indexOf` scans with bounded look-ahead, so a megabyte
 * message from a misbehaving task costs linear time.
 */

import type { ContainerTermination } from "./container-lines.js";
import { hasWord, numberAfter, quotedAfter, readUntil } from "./text-scan.js";

/** Why an image could not be pulled, as far as the kubelet's words tell. */
export type ImagePullCause = "rateLimited" | "unauthorized" | "notFound" | "unknown";

/** What interrupted a task. */
export type InterruptCause = "nodeShutdown" | "preempted" | "podDeleted" | "killed";

/** Why a pod stayed pending. */
export type PendingCause = "insufficient" | "placement" | "containerCreating" | "unknown";

/** The class a message points to, with the facts its hint needs. */
export type FailureRule =
  | {
      readonly rule: "oom";
      readonly memoryLimit?: string | undefined;
      readonly despiteSuccess: boolean;
    }
  | { readonly rule: "primaryContainerNotFound" }
  | { readonly rule: "invalidImageName" }
  | { readonly rule: "configMissing"; readonly missing?: string | undefined }
  | { readonly rule: "imagePullBackOff"; readonly cause: ImagePullCause }
  | { readonly rule: "createContainer" }
  | {
      readonly rule: "evicted";
      readonly resource?: string | undefined;
      readonly overOwnLimit: boolean;
    }
  | { readonly rule: "deadlineExceeded" }
  | { readonly rule: "interrupted"; readonly cause: InterruptCause }
  | {
      readonly rule: "pendingTimeout";
      readonly cause: PendingCause;
      readonly resources?: string | undefined;
    }
  | { readonly rule: "quotaExceeded" }
  | { readonly rule: "errorFile"; readonly code: "ErrorFileNotFound" | "ErrorFileBadFormat" }
  | { readonly rule: "retriesExhausted"; readonly attempts: number }
  | { readonly rule: "systemFailures"; readonly times?: number | undefined }
  | { readonly rule: "none" };

/** pod_helper.go, DemystifyFailure: the message of a failed pod without one of its own. */
export const POD_FAILED_NO_MESSAGE = "Pod failed. No message received from kubernetes.";

/**
 * Applies the rules in their documented order; the first match wins. The order puts the
 * most specific evidence first: an eviction or a deadline also kills the container, and a
 * missing secret also waits out a grace period, but those say more than the kill or the
 * wait.
 *
 * @param systemKind - whether ErrorInfo said KIND_SYSTEM; a SIGKILL only means
 *   "interrupted" when the platform, not the user, owns the failure.
 */
export function matchFailureRule(
  message: string,
  containers: readonly ContainerTermination[],
  systemKind: boolean,
): FailureRule {
  return (
    oom(message, containers) ??
    (hasPrimaryContainerNotFound(message) ? { rule: "primaryContainerNotFound" } : undefined) ??
    (isInvalidImageName(message) ? { rule: "invalidImageName" } : undefined) ??
    configMissing(message) ??
    imageOrContainerCreation(message) ??
    evicted(message) ??
    (message.includes("Pod was active on the node longer than the specified deadline")
      ? { rule: "deadlineExceeded" }
      : undefined) ??
    interrupted(message, containers, systemKind) ??
    pendingTimeout(message) ??
    (message.includes("exceeded quota:") ? { rule: "quotaExceeded" } : undefined) ??
    errorFile(message) ??
    retriesExhausted(message) ??
    systemFailures(message) ?? { rule: "none" }
  );
}

/**
 * `Reason [OOMKilled]` in a container line (pod_helper.go, DemystifyFailure and
 * DeterminePrimaryContainerPhase), or DemystifySuccess's `Pod reported success despite being
 * OOMKilled`. A reason that contains OOMKilled counts, as the backend's `strings.Contains`.
 */
function oom(
  message: string,
  containers: readonly ContainerTermination[],
): FailureRule | undefined {
  const despiteSuccess = message.includes("despite being OOMKilled");
  let killed = false;
  // The first killed container's text that names a limit, else the whole message's.
  let memoryLimit: string | undefined;
  for (const c of containers) {
    if (c.reason?.includes("OOMKilled") !== true) continue;
    killed = true;
    memoryLimit ??= memoryLimitIn(c.message ?? "");
  }
  if (!despiteSuccess && !killed && !message.includes("Reason [OOMKilled]")) return undefined;
  memoryLimit ??= memoryLimitIn(message);
  return memoryLimit === undefined
    ? { rule: "oom", despiteSuccess }
    : { rule: "oom", despiteSuccess, memoryLimit };
}

/** A quantity such as `1Gi` or `512M` after the words `memory limit`, if the text names one. */
export function memoryLimitIn(text: string): string | undefined {
  const at = text.indexOf("memory limit");
  if (at === -1) return undefined;
  let cursor = at + "memory limit".length;
  const stop = Math.min(text.length, cursor + 12);
  while (cursor < stop && " :=\"'of".includes(text.charAt(cursor))) cursor++;
  const start = cursor;
  while (cursor < text.length && cursor - start < 12 && /[0-9.]/.test(text.charAt(cursor))) {
    cursor++;
  }
  if (cursor === start) return undefined;
  const digitsEnd = cursor;
  while (cursor < text.length && cursor - digitsEnd < 5 && /[A-Za-z]/.test(text.charAt(cursor))) {
    cursor++;
  }
  return text.slice(start, cursor);
}

/** pod_helper.go, DeterminePrimaryContainerPhase: `Primary container [<name>] not found`. */
function hasPrimaryContainerNotFound(message: string): boolean {
  const start = message.indexOf("Primary container [");
  // The first head is enough: any later head also precedes the last tail, if there is one.
  return start !== -1 && message.indexOf("] not found", start) !== -1;
}

/** The kubelet's InvalidImageName texts; pod_helper.go classifyWaitingContainer fails at once. */
function isInvalidImageName(message: string): boolean {
  return (
    message.includes("InvalidImageName") ||
    message.includes("couldn't parse image reference") ||
    message.includes("invalid reference format")
  );
}

/**
 * CreateContainerConfigError: the kubelet could not build the container's environment,
 * because a secret or config map (or one of its keys) does not exist. pod_helper.go
 * classifyWaitingContainer fails the task once the grace period is over.
 */
function configMissing(message: string): FailureRule | undefined {
  for (const kind of ['secret "', 'configmap "']) {
    const name = quotedAfter(message, kind);
    if (name !== undefined && message.includes(`${kind}${name}" not found`)) {
      return { rule: "configMissing", missing: `${kind}${name}"` };
    }
  }
  for (const head of ["couldn't find key ", "Couldn't find key "]) {
    const at = message.indexOf(head);
    if (at === -1) continue;
    const rest = readUntil(message, at, "\n", 512);
    if (rest.includes(" in Secret ") || rest.includes(" in ConfigMap ")) {
      return { rule: "configMissing", missing: rest.slice("couldn't find ".length) };
    }
  }
  if (message.includes("CreateContainerConfigError")) return { rule: "configMissing" };
  return undefined;
}

/**
 * The waiting states that pod_helper.go classifyWaitingContainer ends with
 * `Grace period [<d>] exceeded|<message>`: ImagePullBackOff (the kubelet's `Back-off pulling
 * image`), and CreateContainerError when no pull is mentioned. Inside the grace period the
 * message reads `[ImagePullBackOff]: ...`, and a failed pull `ErrImagePull`.
 */
function imageOrContainerCreation(message: string): FailureRule | undefined {
  const pulling =
    message.includes("[ImagePullBackOff]") ||
    message.includes("ImagePullBackOff") ||
    message.includes("Back-off pulling image") ||
    message.includes("ErrImagePull") ||
    message.includes("Failed to pull image");
  const graceOver = hasGracePeriodExceeded(message);
  if (pulling) return { rule: "imagePullBackOff", cause: imagePullCause(message) };
  if (message.includes("CreateContainerError")) return { rule: "createContainer" };
  if (graceOver) return { rule: "createContainer" };
  return undefined;
}

/** `Grace period [<duration>] exceeded|`, from pod_helper.go GetMessageAfterGracePeriod. */
function hasGracePeriodExceeded(message: string): boolean {
  const start = message.indexOf("Grace period [");
  return start !== -1 && message.indexOf("] exceeded|", start) !== -1;
}

/**
 * What the registry or runtime said. `429 Too Many Requests` is the backend's own test
 * (pod_helper.go isRegistryRateLimited); the others are the usual containerd and registry
 * words for a refused or a missing image.
 */
function imagePullCause(message: string): ImagePullCause {
  if (message.includes("429 Too Many Requests") || message.includes("toomanyrequests")) {
    return "rateLimited";
  }
  if (
    [
      "401 Unauthorized",
      "403 Forbidden",
      "pull access denied",
      "no basic auth credentials",
      "authentication required",
      "authorization failed",
      "failed to authorize",
    ].some((phrase) => message.includes(phrase))
  ) {
    return "unauthorized";
  }
  if (["not found", "manifest unknown", "NotFound"].some((phrase) => message.includes(phrase))) {
    return "notFound";
  }
  return "unknown";
}

/**
 * The kubelet eviction manager's texts (pkg/kubelet/eviction/helpers.go), which
 * DemystifyFailure copies from the pod's status: the node ran low on a resource, or the pod
 * went over its own ephemeral-storage limit.
 */
function evicted(message: string): FailureRule | undefined {
  if (
    message.includes("exceeded its local ephemeral storage limit") ||
    message.includes("Pod ephemeral local storage usage exceeds the total limit") ||
    (message.includes("Usage of EmptyDir volume") && message.includes("exceeds the limit"))
  ) {
    return { rule: "evicted", resource: "ephemeral-storage", overOwnLimit: true };
  }
  for (const head of ["The node was low on resource: ", "The node had condition: "]) {
    const at = message.indexOf(head);
    if (at === -1) continue;
    const resource = readUntil(message, at + head.length, ".", 64).trim();
    return { rule: "evicted", overOwnLimit: false, ...(resource ? { resource } : {}) };
  }
  return undefined;
}

/**
 * Node shutdown (the kubelet's node shutdown manager; GKE's `Shutdown` reason), kubelet
 * preemption, a pod deleted under the task (executor plugin_manager.go checkResourcePhase),
 * a SIGKILL the platform owns (pod_helper.go), or the `Interrupted` code in the text.
 */
function interrupted(
  message: string,
  containers: readonly ContainerTermination[],
  systemKind: boolean,
): FailureRule | undefined {
  if (
    message.includes("in response to imminent node shutdown") ||
    message.includes("is in progress of shutting down") ||
    message.includes("the node is shutting down")
  ) {
    return { rule: "interrupted", cause: "nodeShutdown" };
  }
  if (message.includes("Preempted in order to admit critical pod")) {
    return { rule: "interrupted", cause: "preempted" };
  }
  if (
    message.includes("resource not found, name [") ||
    message.includes("terminated unexpectedly in the background")
  ) {
    return { rule: "interrupted", cause: "podDeleted" };
  }
  if (
    systemKind &&
    (message.includes("SIGKILL") ||
      message.includes(POD_FAILED_NO_MESSAGE) ||
      containers.some((c) => c.exitCode === 137 || c.exitCode === -9))
  ) {
    return { rule: "interrupted", cause: "killed" };
  }
  if (hasWord(message, "Interrupted")) return { rule: "interrupted", cause: "killed" };
  return undefined;
}

/**
 * pod_helper.go DemystifyPending: `PodPendingTimeout`, whose message is the pending reason,
 * for example the scheduler's `Unschedulable:0/3 nodes are available: 3 Insufficient cpu.`
 */
function pendingTimeout(message: string): FailureRule | undefined {
  if (!hasWord(message, "PodPendingTimeout") && !message.includes("nodes are available:")) {
    return undefined;
  }
  const insufficient = insufficientResources(message);
  if (insufficient !== undefined) {
    return { rule: "pendingTimeout", cause: "insufficient", resources: insufficient };
  }
  if (
    message.includes("didn't match Pod's node affinity") ||
    message.includes("didn't match node selector") ||
    message.includes("untolerated taint") ||
    message.includes("had taint")
  ) {
    return { rule: "pendingTimeout", cause: "placement" };
  }
  if (message.includes("ContainerCreating")) {
    return { rule: "pendingTimeout", cause: "containerCreating" };
  }
  return { rule: "pendingTimeout", cause: "unknown" };
}

/** `cpu, memory` from the scheduler's `Insufficient cpu, 2 Insufficient memory`. */
function insufficientResources(message: string): string | undefined {
  const found: string[] = [];
  let from = 0;
  while (found.length < 8) {
    const at = message.indexOf("Insufficient ", from);
    if (at === -1) break;
    let end = at + "Insufficient ".length;
    const start = end;
    while (
      end < message.length &&
      end - start < 64 &&
      /[A-Za-z0-9./_-]/.test(message.charAt(end))
    ) {
      end++;
    }
    const resource = message.slice(start, end).replace(/\.$/, "");
    if (resource !== "" && !found.includes(resource)) found.push(resource);
    from = end;
  }
  return found.length === 0 ? undefined : found.join(", ");
}

/** flyteplugins ioutils remote_file_output_reader.go ReadError. */
function errorFile(message: string): FailureRule | undefined {
  if (message.includes("error not formatted correctly, nil error @path")) {
    return { rule: "errorFile", code: "ErrorFileBadFormat" };
  }
  if (hasWord(message, "ErrorFileNotFound"))
    return { rule: "errorFile", code: "ErrorFileNotFound" };
  return undefined;
}

/** executor taskaction_controller.go: `task failed after <n> attempt(s)`. */
function retriesExhausted(message: string): FailureRule | undefined {
  const attempts = retriesExhaustedAttempts(message);
  return attempts === undefined ? undefined : { rule: "retriesExhausted", attempts };
}

/** The `<n>` of `task failed after <n> attempt(s)`, if the phrase is there. */
function retriesExhaustedAttempts(message: string): number | undefined {
  return numberAfter(message, "task failed after ", " attempt");
}

/**
 * executor taskaction_controller.go recordSystemError, once the consecutive system
 * failures pass the limit: `plugin "<id>" failed with system error <n> times: <error>`.
 */
function systemFailures(message: string): FailureRule | undefined {
  if (!message.includes("failed with system error ")) return undefined;
  const times = numberAfter(message, "failed with system error ", " time");
  return { rule: "systemFailures", ...(times === undefined ? {} : { times }) };
}
