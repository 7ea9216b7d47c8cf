import { useSyncExternalStore } from 'react';

/** One value outside React that a page reads and writes like its own state, and that outlives the page. */
export class Cell<T> {
  private readonly listeners = new Set<() => void>();
  constructor(private value: T) {}

  get = (): T => this.value;

  set = (next: T | ((current: T) => T)): void => {
    const value = typeof next === 'function' ? (next as (current: T) => T)(this.value) : next;
    if (Object.is(value, this.value)) return;
    this.value = value;
    for (const listener of this.listeners) listener();
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };
}

/** A cell as `[value, set]`, like useState, re-rendering when it changes. */
export function useCell<T>(cell: Cell<T>): [T, Cell<T>['set']] {
  return [useSyncExternalStore(cell.subscribe, cell.get), cell.set];
}
