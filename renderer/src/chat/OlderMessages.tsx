import { ErrorNotice } from '../design/ErrorNotice';
import { Skeleton } from '../design/Skeleton';
import type { Timeline } from '../state/parley-state';

/** The row above the loaded messages while older ones load, or the reason they did not. */
export function OlderMessages({ timeline, onRetry }: { timeline: Timeline; onRetry: () => void }) {
  if (timeline.olderError) {
    return (
      <ErrorNotice
        className="older-error"
        error={timeline.olderError}
        announce={false}
        action={
          <button type="button" className="button button--secondary" onClick={onRetry}>
            Try again
          </button>
        }
      />
    );
  }
  return (
    <div className="older-loading" aria-hidden="true">
      <Skeleton width={180} height={28} />
    </div>
  );
}
