/**
 * Recognises a server's refusal of a request that is too large. gRPC and Connect servers
 * answer RESOURCE_EXHAUSTED for it, the code they also use for throttling; but waiting does
 * not make a request smaller, so CreateRun reports it as InlineIOMaxBytesBreached (not
 * retryable) rather than as a SlowDownError to retry.
 */

/**
 * grpc-go: `grpc: received message larger than max (5000000 vs. 4194304)`;
 * connect-go and connect-es: `message size 5000000 is larger than configured readMaxBytes 4194304`.
 */
const TOO_LARGE = /\blarger than\b[^\n]*max/i;

/** Whether an error text says the request exceeded the server's size limit. */
export function isRequestTooLarge(text: string): boolean {
  return TOO_LARGE.test(text);
}
