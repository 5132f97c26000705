/**
 * Per-call AbortSignals linked to a caller's signal through one shared listener.
 *
 * Callers share signals: one AbortController for a whole batch of waits is the common
 * case. A listener per wait on that signal makes Node print MaxListenersExceededWarning past
 * ten, and keeps a closure per wait on the caller's object. Here each caller signal gets a
 * single listener, which aborts every linked signal still registered.
 */

const fanouts = new WeakMap<AbortSignal, Set<AbortController>>();

/** A signal that aborts when `parent` does (with its reason), and the way to unlink it. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  readonly controller: AbortController;
  /** Unlinks from the parent; call it once the call has settled. */
  dispose(): void;
}

/** Links a new controller to `parent`; an already aborted parent aborts it at once. */
export function linkSignal(parent: AbortSignal | undefined): LinkedSignal {
  const controller = new AbortController();
  if (parent === undefined) {
    return { signal: controller.signal, controller, dispose: () => {} };
  }
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, controller, dispose: () => {} };
  }
  let children = fanouts.get(parent);
  if (children === undefined) {
    const set = new Set<AbortController>();
    children = set;
    fanouts.set(parent, set);
    parent.addEventListener(
      "abort",
      () => {
        fanouts.delete(parent);
        for (const child of set) child.abort(parent.reason);
        set.clear();
      },
      { once: true },
    );
  }
  children.add(controller);
  const set = children;
  return {
    signal: controller.signal,
    controller,
    dispose: () => {
      set.delete(controller);
    },
  };
}
