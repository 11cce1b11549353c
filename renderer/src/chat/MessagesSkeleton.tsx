import { Skeleton } from '../design/Skeleton';

/** The shape of a chat while its first page loads. */
export function MessagesSkeleton() {
  const shapes = [
    { id: 'a', out: false, width: 220 },
    { id: 'b', out: false, width: 140 },
    { id: 'c', out: true, width: 260 },
    { id: 'd', out: false, width: 180 },
    { id: 'e', out: true, width: 120 },
    { id: 'f', out: true, width: 200 },
  ];
  return (
    <div className="messages-skeleton">
      <p className="sr-only">Loading messages…</p>
      {shapes.map((shape) => (
        <div
          key={shape.id}
          className={`messages-skeleton__row${shape.out ? ' is-out' : ''}`}
          aria-hidden="true"
        >
          <Skeleton width={shape.width} height={36} />
        </div>
      ))}
    </div>
  );
}
