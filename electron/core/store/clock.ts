/** Milliseconds since the epoch; passed in so tests control time. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
