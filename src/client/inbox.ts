/**
 * A queue that one consumer awaits, fed by callbacks. Waiting is abortable, and an aborted
 * wait leaves no listener behind.
 */
export class Inbox<T> {
  private readonly items: T[] = [];
  private waiter: ((item: T) => void) | undefined;

  push(item: T): void {
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter(item);
    } else {
      this.items.push(item);
    }
  }

  next(signal: AbortSignal): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift() as T);
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.waiter = undefined;
        reject(signal.reason);
      };
      this.waiter = (item) => {
        signal.removeEventListener("abort", onAbort);
        resolve(item);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
