import { Skeleton } from '../design/Skeleton';

/** The shape of the conversation list while it loads. */
export function ConversationSkeleton() {
  return (
    <div className="conversation-list__skeleton" aria-busy="true">
      <p className="sr-only">Loading conversations…</p>
      {[0, 1, 2, 3, 4].map((i) => (
        <div key={i} className="conversation-skeleton" aria-hidden="true">
          <Skeleton width={40} height={40} round />
          <div className="conversation-skeleton__lines">
            <Skeleton width={`${50 + ((i * 17) % 35)}%`} />
            <Skeleton width={`${70 + ((i * 11) % 25)}%`} height={10} />
          </div>
        </div>
      ))}
    </div>
  );
}
