/**
 * Node's timers run on the event loop's cached millisecond clock, so a timer set for N ms can fire
 * up to 1 ms before performance.now() says N ms have passed (measured in CI: 999.82 ms for 1000,
 * 2499.886 ms for 2500). Lower bounds on a timer-driven duration allow this much.
 */
export const TIMER_EARLY_MS = 1;
