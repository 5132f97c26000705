/** The longest delay `setTimeout` honours; Node fires at once, with a warning, past it. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * `setTimeout` for any delay: a wait of 30 days (`--timeout 720h`) is chained from delays
 * that `setTimeout` can hold, instead of firing at once. Returns the function that cancels
 * it. Infinity never fires.
 */
export function setLongTimeout(callback: () => void, ms: number): () => void {
  if (!(ms < Number.POSITIVE_INFINITY)) return () => {};
  const due = performance.now() + Math.max(0, ms);
  let timer: ReturnType<typeof setTimeout>;
  const arm = () => {
    const left = due - performance.now();
    timer = setTimeout(
      left > MAX_DELAY_MS ? arm : callback,
      Math.min(MAX_DELAY_MS, Math.max(0, left)),
    );
  };
  arm();
  return () => clearTimeout(timer);
}
