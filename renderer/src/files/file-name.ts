/**
 * Long file names shortened in the middle, so that both the start (what it is) and the end (the
 * version, the extension) stay visible: "Quarterly report for the…board v3.pdf". CSS can only cut
 * the end, which hides exactly the part that tells two files apart.
 */

/** `name` at most `max` characters (counted as the person sees them), cut in the middle. */
export function middleTruncate(name: string, max: number): string {
  const chars = Array.from(name);
  if (chars.length <= max) return name;
  const keep = Math.max(max - 1, 2);
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(name.slice(dot)).length : 0;
  // The tail keeps the extension and a few characters before it, within a third of the room.
  const tail = Math.min(Math.max(extension + 4, Math.floor(keep / 3)), Math.floor(keep / 2));
  const head = keep - tail;
  return `${chars.slice(0, head).join('').trimEnd()}…${chars.slice(chars.length - tail).join('')}`;
}

/** The extension, lower case and without the dot; '' when there is none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
}
