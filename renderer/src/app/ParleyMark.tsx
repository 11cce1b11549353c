/** The Parley logo: two overlapping speech bubbles, in the accent colour. */
export function ParleyMark({ size = 48 }: { size?: number }) {
  return (
    <svg
      className="parley-mark"
      width={size}
      height={size}
      viewBox="0 0 48 48"
      aria-hidden="true"
      focusable="false"
    >
      <rect width="48" height="48" rx="12" className="parley-mark__tile" />
      <path
        className="parley-mark__back"
        d="M29 12h5a6 6 0 0 1 6 6v7a6 6 0 0 1-6 6h-1v4l-5-4h-2"
        fill="none"
        strokeWidth="2.5"
        strokeLinejoin="round"
        strokeLinecap="round"
      />
      <path
        className="parley-mark__front"
        d="M14 15h12a6 6 0 0 1 6 6v6a6 6 0 0 1-6 6h-7l-6 5v-5h0a5 5 0 0 1-5-5v-7a6 6 0 0 1 6-6Z"
      />
    </svg>
  );
}
