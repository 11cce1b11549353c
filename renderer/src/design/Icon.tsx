/**
 * The app's icons, drawn inline so that no image request is needed (CSP allows none remote).
 * Each is decorative: the control that holds it carries the accessible name.
 */
import type { ReactNode } from 'react';

export type IconName =
  | 'compose'
  | 'settings'
  | 'send'
  | 'search'
  | 'close'
  | 'lock'
  | 'shield'
  | 'shieldCheck'
  | 'check'
  | 'checkDouble'
  | 'clock'
  | 'alert'
  | 'arrowDown'
  | 'offline'
  | 'chat'
  | 'attach'
  | 'more'
  | 'download'
  | 'trash'
  | 'copy'
  | 'file'
  | 'fileText'
  | 'fileImage'
  | 'fileVideo'
  | 'fileAudio'
  | 'fileArchive'
  | 'fileTable'
  | 'fileSlides'
  | 'filePdf'
  | 'bell'
  | 'bellOff';

// The page outline every file icon shares: a sheet with its top right corner folded.
const SHEET = (
  <>
    <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8l-5-5Z" />
    <path d="M14 3v5h5" />
  </>
);

const BELL = 'M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15L6 16Z';

const PATHS: Record<IconName, ReactNode> = {
  bell: (
    <>
      <path d={BELL} />
      <path d="M10 20.5a2 2 0 0 0 4 0" />
    </>
  ),
  bellOff: (
    <>
      <path d={BELL} />
      <path d="M10 20.5a2 2 0 0 0 4 0M4 4l16 16" />
    </>
  ),
  compose: (
    <>
      <path d="M4 20h4l10.5-10.5a2.12 2.12 0 0 0-3-3L5 17v3Z" />
      <path d="m13.5 7.5 3 3" />
    </>
  ),
  settings: (
    <>
      <circle cx="12" cy="12" r="3" />
      <path d="M19.4 15a1.65 1.65 0 0 0 .33 1.82l.06.06a2 2 0 1 1-2.83 2.83l-.06-.06a1.65 1.65 0 0 0-1.82-.33 1.65 1.65 0 0 0-1 1.51V21a2 2 0 0 1-4 0v-.09A1.65 1.65 0 0 0 9 19.4a1.65 1.65 0 0 0-1.82.33l-.06.06a2 2 0 1 1-2.83-2.83l.06-.06A1.65 1.65 0 0 0 4.68 15a1.65 1.65 0 0 0-1.51-1H3a2 2 0 0 1 0-4h.09A1.65 1.65 0 0 0 4.6 9a1.65 1.65 0 0 0-.33-1.82l-.06-.06a2 2 0 1 1 2.83-2.83l.06.06A1.65 1.65 0 0 0 9 4.68a1.65 1.65 0 0 0 1-1.51V3a2 2 0 0 1 4 0v.09a1.65 1.65 0 0 0 1 1.51 1.65 1.65 0 0 0 1.82-.33l.06-.06a2 2 0 1 1 2.83 2.83l-.06.06A1.65 1.65 0 0 0 19.4 9a1.65 1.65 0 0 0 1.51 1H21a2 2 0 0 1 0 4h-.09a1.65 1.65 0 0 0-1.51 1Z" />
    </>
  ),
  send: <path d="M4.5 12 3 4.5 21 12 3 19.5 4.5 12Zm0 0H12" />,
  search: (
    <>
      <circle cx="11" cy="11" r="6.5" />
      <path d="m20 20-4.2-4.2" />
    </>
  ),
  close: <path d="M6 6l12 12M18 6 6 18" />,
  lock: (
    <>
      <rect x="5" y="10.5" width="14" height="10" rx="2" />
      <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" />
    </>
  ),
  shield: <path d="M12 3 5 6v5.5c0 4.3 3 8 7 9.5 4-1.5 7-5.2 7-9.5V6l-7-3Z" />,
  shieldCheck: (
    <>
      <path d="M12 3 5 6v5.5c0 4.3 3 8 7 9.5 4-1.5 7-5.2 7-9.5V6l-7-3Z" />
      <path d="m9 12 2 2 4-4" />
    </>
  ),
  check: <path d="m5 12.5 4.5 4.5L19 7.5" />,
  checkDouble: (
    <>
      <path d="m2.5 12.5 4.5 4.5 9.5-9.5" />
      <path d="m12 16.5.5.5 9.5-9.5" />
    </>
  ),
  clock: (
    <>
      <circle cx="12" cy="12" r="8.5" />
      <path d="M12 7.5V12l3 2" />
    </>
  ),
  alert: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7.5v5.5M12 16.5v.01" />
    </>
  ),
  arrowDown: <path d="M12 5v14m0 0-6-6m6 6 6-6" />,
  offline: (
    <>
      <path d="M3 3l18 18" />
      <path d="M8.5 16.5a5 5 0 0 1 7 0M5 13a10 10 0 0 1 4-2.4M19 13a10 10 0 0 0-2.6-1.9M2 9.5a15 15 0 0 1 4.2-2.7M22 9.5A15 15 0 0 0 10.5 5.1" />
      <path d="M12 20h.01" />
    </>
  ),
  chat: <path d="M20 12a8 8 0 0 1-11.8 7L4 20l1-4.2A8 8 0 1 1 20 12Z" />,
  attach: (
    <path d="m20 11.5-7.8 7.8a5 5 0 0 1-7.1-7.1l8.2-8.2a3.3 3.3 0 0 1 4.7 4.7l-8.2 8.2a1.7 1.7 0 0 1-2.4-2.4l7.6-7.6" />
  ),
  more: (
    <>
      <circle cx="5.5" cy="12" r="1.3" />
      <circle cx="12" cy="12" r="1.3" />
      <circle cx="18.5" cy="12" r="1.3" />
    </>
  ),
  download: <path d="M12 4v11m0 0-4.5-4.5M12 15l4.5-4.5M5 19.5h14" />,
  trash: (
    <>
      <path d="M4.5 7h15M10 4h4M6.5 7l.8 12a2 2 0 0 0 2 1.9h5.4a2 2 0 0 0 2-1.9l.8-12" />
      <path d="M10 11v6M14 11v6" />
    </>
  ),
  copy: (
    <>
      <rect x="8.5" y="8.5" width="11.5" height="11.5" rx="2" />
      <path d="M15.5 8.5V6a2 2 0 0 0-2-2H6a2 2 0 0 0-2 2v7.5a2 2 0 0 0 2 2h2.5" />
    </>
  ),
  file: SHEET,
  fileText: (
    <>
      {SHEET}
      <path d="M8.5 12.5h7M8.5 16h7" />
    </>
  ),
  fileImage: (
    <>
      {SHEET}
      <circle cx="9.5" cy="11.5" r="1.3" />
      <path d="m19 16-3.5-3.5L8 20" />
    </>
  ),
  fileVideo: (
    <>
      {SHEET}
      <path d="m10 11.5 4.5 2.5-4.5 2.5v-5Z" />
    </>
  ),
  fileAudio: (
    <>
      {SHEET}
      <circle cx="10" cy="16.5" r="1.7" />
      <path d="M11.7 16.5V11l3 1" />
    </>
  ),
  fileArchive: (
    <>
      {SHEET}
      <path d="M10 5v1.5M10 9v1.5M10 13v1.5" />
      <rect x="8.8" y="16" width="2.4" height="2.6" rx="0.6" />
    </>
  ),
  fileTable: (
    <>
      {SHEET}
      <path d="M8 12h8v6H8zM8 15h8M12 12v6" />
    </>
  ),
  fileSlides: (
    <>
      {SHEET}
      <rect x="8" y="12" width="8" height="5" rx="0.8" />
    </>
  ),
  filePdf: (
    <>
      {SHEET}
      <path d="M8.5 17.5v-4h1.3a1.2 1.2 0 0 1 0 2.4H8.5M13 13.5v4h.7a2 2 0 0 0 0-4H13Z" />
    </>
  ),
};

export function Icon({ name, size = 20, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[name]}
    </svg>
  );
}
