/** "12.345 s" for simulated milliseconds. */
export function formatTime(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/** Slider position 0..100 ↔ simulated ms per wall second, on a log scale (10 ms/s .. 1000 s/s). */
export function sliderToSpeed(v: number): number {
  return Math.round(10 * Math.pow(10, v / 20));
}
export function speedToSlider(speed: number): number {
  return Math.round(20 * Math.log10(Math.max(10, speed) / 10));
}

/** Wall-clock time of a moment of a real ensemble's logs, as their lines write it (UTC, clocks aligned). */
export function logClock(origin: number, ms: number): string {
  return new Date(origin + ms).toISOString().replace('T', ' ').slice(0, 23);
}
