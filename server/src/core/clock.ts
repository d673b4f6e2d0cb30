/** The one source of time. Tests replace it to move time; nothing else calls Date.now(). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock a test sets and advances by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date = new Date('2026-01-15T09:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date): void {
    this.current = new Date(to);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}
