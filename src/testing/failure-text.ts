/**
 * The exact texts the Flyte backend puts into ErrorInfo messages for
 * Kubernetes pod failures (FLYTE-FACTS section 5). Decoders match on these
 * byte for byte, so the test server must produce them byte for byte too.
 *
 * @module
 */

/** Prefix of a failed pod's message when Kubernetes gave no message of its own. */
export const podFailedNoMessage = "Pod failed. No message received from kubernetes.";

/**
 * The per-container line of an abnormally terminated container. Note the CRLF
 * before it, the newline after `Message:` and the period after the text, even
 * when the text is empty.
 */
export function containerTerminated(
  container: string,
  exitCode: number,
  reason: string,
  text: string,
): string {
  return `\r\n[${container}] terminated with exit code (${exitCode}). Reason [${reason}]. Message: \n${text}.`;
}

/** The per-container line of a container that exited 0 inside a failed pod. */
export function containerExitedZero(container: string): string {
  return `\r\n[${container}] terminated with ExitCode 0.`;
}

/** Message of code `PrimaryContainerNotFound`. */
export function primaryContainerNotFound(container: string): string {
  return `Primary container [${container}] not found in pod's container statuses`;
}

/** The kubelet's waiting message while it backs off pulling an image. */
export function backOffPullingImage(image: string): string {
  return `Back-off pulling image "${image}"`;
}

/** The kubelet's message for a pull that failed (reason `ErrImagePull`). */
export function failedToPullImage(image: string, cause: string): string {
  return `Failed to pull image "${image}": ${cause}`;
}

/** What an INITIALIZING action reports while an image pull is still inside its grace period. */
export function imagePullBackOffInGrace(kubeletMessage: string): string {
  return `[ImagePullBackOff]: ${kubeletMessage}`;
}

/** Message of code `ImagePullBackOff` once the grace period is over. */
export function gracePeriodExceeded(duration: string, kubeletMessage: string): string {
  return `Grace period [${duration}] exceeded|${kubeletMessage}`;
}

/** The kubelet's message for code `InvalidImageName`; it does not contain the code. */
export function invalidImageName(image: string): string {
  return `Failed to apply default image tag "${image}": couldn't parse image reference "${image}": invalid reference format`;
}

/** Message of code `MaxRetriesExceeded`. */
export function retriesExhausted(attempts: number): string {
  return `task failed after ${attempts} attempt(s)`;
}
