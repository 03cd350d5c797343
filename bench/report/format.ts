/** Formatting for the table and chart: a dash for a figure that was not produced. */
export const DASH = "–";

export function fixed(value: number | null, digits = 0): string {
  return value === null ? DASH : value.toFixed(digits);
}

export function times(value: number | null): string {
  return value === null ? DASH : `${value.toFixed(2)}×`;
}

export function percent(value: number | null): string {
  return value === null ? DASH : `${Math.round(value * 100)}%`;
}

export function kib(bytes: number | null): string {
  if (bytes === null) return DASH;
  return bytes === 0 ? "0" : (bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0);
}

export function mib(bytes: number | null): string {
  return bytes === null ? DASH : (bytes / 2 ** 20).toFixed(1);
}

export function mibPerSec(bytesPerSec: number | null): string {
  return bytesPerSec === null ? DASH : (bytesPerSec / 2 ** 20).toFixed(0);
}
