/**
 * One conversation in the list. The button holds only the person's name, so its accessible
 * name is exactly that (what people say and tests look for); it stretches over the whole row
 * for the pointer. Preview, time, unread count and marks are its description.
 */
import { useEffect, useId, useRef } from 'react';
import type { ConversationView } from '../../../shared/ipc';
import { Avatar } from '../design/Avatar';
import { Icon } from '../design/Icon';
import { useMuted } from '../notifications/mute';
import { formatListTime } from '../time/format-time';

export function ConversationItem({
  conversation,
  active,
  now,
  onOpen,
}: {
  conversation: ConversationView;
  active: boolean;
  now: number;
  onOpen: () => void;
}) {
  const id = useId();
  const ref = useRef<HTMLButtonElement>(null);
  const { title, lastMessagePreview, lastMessageAt, unreadCount, verified, keyChanged } = conversation;
  const muted = useMuted(conversation);
  const time = lastMessageAt === null ? null : formatListTime(lastMessageAt, now);
  const preview = keyChanged ? 'Safety number changed' : (lastMessagePreview ?? 'No messages yet');
  const described = [
    verified ? `${id}-verified` : null,
    muted ? `${id}-muted` : null,
    unreadCount > 0 ? `${id}-unread` : null,
    `${id}-preview`,
    time ? `${id}-time` : null,
  ]
    .filter(Boolean)
    .join(' ');

  // Keep the open conversation in view when the keyboard moves to it.
  useEffect(() => {
    if (active) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  return (
    <div
      className={`conversation-item${active ? ' is-active' : ''}${unreadCount > 0 ? ' has-unread' : ''}${muted ? ' is-muted' : ''}`}
    >
      <Avatar id={conversation.peerUserId} name={title} />
      <div className="conversation-item__body">
        <div className="conversation-item__top">
          <button
            ref={ref}
            type="button"
            className="conversation-item__button"
            aria-current={active ? 'page' : undefined}
            aria-describedby={described}
            onClick={onOpen}
          >
            {title}
          </button>
          {verified && (
            <span className="conversation-item__verified" title="Verified">
              <Icon name="shieldCheck" size={14} />
              <span className="sr-only" id={`${id}-verified`}>
                Verified
              </span>
            </span>
          )}
          {muted && (
            <span className="conversation-item__muted" title="Muted">
              <Icon name="bellOff" size={14} />
              <span className="sr-only" id={`${id}-muted`}>
                Muted
              </span>
            </span>
          )}
          {time && (
            <span className="conversation-item__time" id={`${id}-time`}>
              {time}
            </span>
          )}
        </div>
        <div className="conversation-item__bottom">
          <span
            className={`conversation-item__preview${keyChanged ? ' is-warning' : ''}`}
            id={`${id}-preview`}
          >
            <PreviewText text={preview} />
          </span>
          {unreadCount > 0 && (
            <span className={`badge${muted ? ' is-quiet' : ''}`} id={`${id}-unread`}>
              {unreadCount > 99 ? '99+' : unreadCount}
              <span className="sr-only"> unread</span>
            </span>
          )}
        </div>
      </div>
    </div>
  );
}

/** The core marks a file's preview with a paperclip; drawn as an icon (not every system has an emoji font). */
const FILE_MARK = '\u{1F4CE} ';

function PreviewText({ text }: { text: string }) {
  if (!text.startsWith(FILE_MARK)) return <>{text}</>;
  return (
    <>
      <span className="conversation-item__file-mark" aria-hidden="true">
        <Icon name="attach" size={13} />
      </span>
      <span className="sr-only">File: </span>
      {text.slice(FILE_MARK.length)}
    </>
  );
}
