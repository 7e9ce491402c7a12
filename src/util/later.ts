/**
 * A value that is being built elsewhere (a module loading, say): `use` runs a function on it at
 * once when it is there, or once it arrives. A failure to build it answers every use.
 */
export class Later<T> {
  private value: T | undefined;
  private didFail = false;

  constructor(readonly arrival: Promise<T>) {
    arrival.then(
      (value) => (this.value = value),
      () => (this.didFail = true),
    );
  }

  /** The value, when it has arrived. */
  get current(): T | undefined {
    return this.value;
  }

  /** True once building it failed. */
  get failed(): boolean {
    return this.didFail;
  }

  /** Runs `fn` on the value; no extra turn once it has arrived. */
  use<R>(fn: (value: T) => Promise<R>): Promise<R> {
    return this.value === undefined ? this.arrival.then(fn) : fn(this.value);
  }

  /** Runs `fn` on the value once it arrives; resolves without it when building it failed. */
  ifArrived(fn: (value: T) => Promise<void>): Promise<void> {
    return this.arrival.then(fn, () => undefined);
  }

  /** A Later of part of this value. */
  map<U>(fn: (value: T) => U): Later<U> {
    return new Later(this.arrival.then(fn));
  }
}
