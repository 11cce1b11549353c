/**
 * What shows while files are dragged over the chat. The live region is always in the page, so
 * that a screen reader hears the change when a drag starts; the visible zone follows it.
 */
import { Icon } from '../design/Icon';

export function DropZone({ active, title, blocked }: { active: boolean; title: string; blocked: boolean }) {
  const text = blocked
    ? `Sending is paused: accept ${title}'s new safety number first`
    : `Drop files to send them to ${title}`;
  return (
    <>
      <p className="sr-only" role="status">
        {active ? text : ''}
      </p>
      {active && (
        <div
          className={`drop-zone${blocked ? ' is-blocked' : ''}`}
          aria-hidden="true"
          data-testid="drop-zone"
        >
          <div className="drop-zone__inner">
            <Icon name={blocked ? 'shield' : 'attach'} size={32} />
            <p className="drop-zone__text">{text}</p>
            {!blocked && (
              <p className="drop-zone__hint">
                Each file is end-to-end encrypted and sent as its own message.
              </p>
            )}
          </div>
        </div>
      )}
    </>
  );
}
