/**
 * Injected time source (DESIGN.md: "Time comes from an injected clock. Tests
 * travel in time; none sleeps.").
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export class FakeClock implements Clock {
  #ms: number;
  constructor(start: Date | string = '2026-11-21T00:00:00Z') {
    this.#ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#ms);
  }
  set(t: Date | string): void {
    this.#ms = new Date(t).getTime();
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
}
