import { MessageBubble } from './MessageBubble';
import type { TimelineRow } from './timeline-rows';

/** Draws one row of the timeline: a day divider, the unread marker, a system line or a message. */
export function TimelineRowView({ row, peerName }: { row: TimelineRow; peerName: string }) {
  switch (row.kind) {
    case 'day':
      return (
        <div className="day-divider">
          <span className="day-divider__label">{row.label}</span>
        </div>
      );
    case 'unread':
      return (
        <div className="unread-marker">
          <span className="unread-marker__label">
            {row.count === 1 ? '1 new message' : `${row.count} new messages`}
          </span>
        </div>
      );
    case 'system':
      return (
        <div className="system-message">
          <p className="system-message__text">{row.message.text}</p>
        </div>
      );
    case 'message':
      return (
        <MessageBubble
          message={row.message}
          groupStart={row.groupStart}
          groupEnd={row.groupEnd}
          peerName={peerName}
        />
      );
  }
}
