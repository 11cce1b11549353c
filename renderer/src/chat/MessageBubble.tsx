/**
 * One message. Its text is plain text, always (no HTML, links are not fetched). Time and
 * delivery state show on the last message of a group; earlier ones keep them for screen
 * readers, and a failed one always says so, with Retry.
 */
import type { MessageView } from '../../../shared/ipc';
import { formatClockTime, formatFullTime } from '../time/format-time';
import { DeliveryStatus } from './DeliveryStatus';
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
  const failed = message.outgoing && message.state === 'failed';
  const classes = [
    'message',
    message.outgoing ? 'message--out' : 'message--in',
    groupStart ? 'is-group-start' : '',
    groupEnd ? 'is-group-end' : '',
    failed ? 'is-failed' : '',
    isNew(message) ? 'is-new' : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <article className={classes}>
      <div className="message__bubble">
        <span className="sr-only">{message.outgoing ? 'You: ' : `${peerName}: `}</span>
        <p className="message__text">{message.text}</p>
        <span className={groupEnd || failed ? 'message__meta' : 'message__meta sr-only'}>
          <time dateTime={new Date(message.sentAt).toISOString()} title={formatFullTime(message.sentAt)}>
            {formatClockTime(message.sentAt)}
          </time>
          {message.outgoing && message.state !== null && message.state !== 'failed' && (
            <DeliveryStatus state={message.state} />
          )}
        </span>
      </div>
      {failed && <SendFailed messageId={message.id} />}
    </article>
  );
}

/** Just arrived or just sent: it slides in. A row scrolled back into view later does not. */
function isNew(message: MessageView): boolean {
  return Date.now() - (message.receivedAt ?? message.sentAt) < 1500;
}
