/**
 * An error as UI.md wants it: what happened and what to do (the core's sentence), with the
 * stable code small underneath for support. Never a stack, an id or "undefined".
 */
import type { ReactNode } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import { Icon } from './Icon';

const FALLBACK = 'Something went wrong. Try again; if it keeps happening, restart Parley.';

export function ErrorNotice({
  error,
  action,
  announce = true,
  className,
}: {
  error: ErrorInfo;
  action?: ReactNode;
  /** Announce at once (role="alert"); off for errors that are part of a page's first render. */
  announce?: boolean;
  className?: string;
}) {
  const message = typeof error.message === 'string' && error.message.trim() !== '' ? error.message : FALLBACK;
  return (
    <div
      className={className ? `error-notice ${className}` : 'error-notice'}
      role={announce ? 'alert' : undefined}
    >
      <Icon name="alert" className="error-notice__icon" />
      <div className="error-notice__body">
        <p className="error-notice__message">{message}</p>
        {typeof error.code === 'string' && <p className="error-notice__code">{error.code}</p>}
      </div>
      {action && <div className="error-notice__action">{action}</div>}
    </div>
  );
}
