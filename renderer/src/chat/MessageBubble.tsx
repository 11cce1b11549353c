/**
 * One message. Its text is plain text, always (no HTML, links are not fetched); a file shows
 * as a card above its caption. Time and delivery state show on the last message of a group;
 * earlier ones keep them for screen readers, and a failed one always says so, with Retry. Its
 * actions open from the "More actions" button beside it or a right click.
 */
import { type MouseEvent, useRef, useState } from 'react';
import type { MessageView } from '../../../shared/ipc';
import { Icon } from '../design/Icon';
import type { MenuAnchor } from '../design/Menu';
import { FileAttachment } from '../files/FileAttachment';
import { formatClockTime, formatFullTime } from '../time/format-time';
import { DeliveryStatus } from './DeliveryStatus';
import { MessageMenu } from './MessageMenu';
import { SendFailed } from './SendFailed';

export function MessageBubble({
  message,
  groupStart,
  groupEnd,
  peerName,
}: {
  message: MessageView;
  groupStart: boolean;
  groupEnd: boolean;
  peerName: string;
}) {
  const [menu, setMenu] = useState<MenuAnchor | null>(null);
  const moreButton = useRef<HTMLButtonElement>(null);
  const failed = message.outgoing && message.state === 'failed';
  const attachment = message.attachment ?? null;
  const classes = [
    'message',
    message.outgoing ? 'message--out' : 'message--in',
    groupStart ? 'is-group-start' : '',
    groupEnd ? 'is-group-end' : '',
    failed ? 'is-failed' : '',
    attachment ? 'has-file' : '',
    menu ? 'has-menu' : '',
    isNew(message) ? 'is-new' : '',
  ]
    .filter(Boolean)
    .join(' ');

  const onContextMenu = (event: MouseEvent) => {
    // Inside a text the person selected, the browser's own menu (copy) is the useful one.
    if (window.getSelection()?.toString()) return;
    event.preventDefault();
    setMenu({ kind: 'point', x: event.clientX, y: event.clientY });
  };

  return (
    <article className={classes}>
      <div className="message__line">
        {/* biome-ignore lint/a11y/noStaticElementInteractions: a right click is a pointer shortcut; the same menu opens from the "More actions" button, by keyboard too. */}
        <div className="message__bubble" onContextMenu={onContextMenu}>
          <span className="sr-only">{message.outgoing ? 'You: ' : `${peerName}: `}</span>
          {attachment && <FileAttachment message={message} attachment={attachment} />}
          {message.text !== '' && <p className="message__text">{message.text}</p>}
          <span className={groupEnd || failed ? 'message__meta' : 'message__meta sr-only'}>
            <time dateTime={new Date(message.sentAt).toISOString()} title={formatFullTime(message.sentAt)}>
              {formatClockTime(message.sentAt)}
            </time>
            {message.outgoing && message.state !== null && message.state !== 'failed' && (
              <DeliveryStatus state={message.state} />
            )}
          </span>
        </div>
        <button
          ref={moreButton}
          type="button"
          className="message__more icon-button"
          aria-label="More actions"
          title="More actions"
          aria-haspopup="menu"
          aria-expanded={menu !== null}
          onClick={(event) =>
            setMenu({
              kind: 'element',
              element: event.currentTarget,
              align: message.outgoing ? 'end' : 'start',
            })
          }
        >
          <Icon name="more" size={18} />
        </button>
      </div>
      {failed && <SendFailed messageId={message.id} />}
      {menu && (
        <MessageMenu
          message={message}
          anchor={menu}
          returnFocusTo={moreButton.current}
          onClose={() => setMenu(null)}
        />
      )}
    </article>
  );
}

/** Just arrived or just sent: it slides in. A row scrolled back into view later does not. */
function isNew(message: MessageView): boolean {
  return Date.now() - (message.receivedAt ?? message.sentAt) < 1500;
}
