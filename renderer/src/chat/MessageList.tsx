/**
 * The open chat's messages as a virtualized log: only the rows on screen exist in the page, so a
 * 50,000-message history scrolls like a short one. It opens at the unread marker or the latest
 * message, keeps its place when older pages arrive above, and follows new messages only when
 * the person is already at the bottom.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type Ref,
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useActions, useParley } from '../app/ParleyContext';
import { ErrorNotice } from '../design/ErrorNotice';
import { Icon } from '../design/Icon';
import type { Timeline } from '../state/parley-state';
import { useToday } from '../time/useToday';
import { MessagesSkeleton } from './MessagesSkeleton';
import { OlderMessages } from './OlderMessages';
import { TimelineRowView } from './TimelineRowView';
import { TimelineStart } from './TimelineStart';
import { buildTimelineRows, type TimelineRow } from './timeline-rows';

export interface MessageListHandle {
  scrollToLatest(): void;
}

/** Rows above the messages: the start of the history, or the place where older pages load. */
export type ListRow =
  | TimelineRow
  | { readonly kind: 'start'; readonly key: string }
  | { readonly kind: 'older'; readonly key: string };

const ESTIMATES: Record<ListRow['kind'], number> = {
  start: 132,
  older: 56,
  day: 44,
  unread: 40,
  system: 40,
  message: 46,
};

/** A first guess at a row's height; rows are measured once drawn. Files are taller than text. */
function estimateRow(row: ListRow | undefined): number {
  if (row?.kind === 'message' && row.message.attachment) {
    return row.message.attachment.thumbnail ? FILE_WITH_PREVIEW_ESTIMATE : FILE_ESTIMATE;
  }
  return ESTIMATES[row?.kind ?? 'message'];
}

const FILE_ESTIMATE = 96;
const FILE_WITH_PREVIEW_ESTIMATE = 300;

export function MessageList({
  conversationId,
  title,
  ref,
}: {
  conversationId: string;
  title: string;
  ref?: Ref<MessageListHandle>;
}) {
  const actions = useActions();
  const timeline = useParley((s) => s.timelines[conversationId]);
  const status = timeline?.status ?? 'idle';

  useEffect(() => {
    if (status === 'idle') void actions.loadTimeline(conversationId);
  }, [actions, conversationId, status]);

  if (!timeline || status === 'idle' || (status === 'loading' && timeline.messages.length === 0)) {
    return (
      <div className="messages messages--state" role="log" aria-label="Messages" aria-busy="true">
        <MessagesSkeleton />
      </div>
    );
  }
  if (status === 'failed' && timeline.error) {
    return (
      <div className="messages messages--state" role="log" aria-label="Messages">
        <ErrorNotice
          error={timeline.error}
          action={
            <button
              type="button"
              className="button button--secondary"
              onClick={() => void actions.loadTimeline(conversationId)}
            >
              Try again
            </button>
          }
        />
      </div>
    );
  }
  return <VirtualTimeline ref={ref} conversationId={conversationId} title={title} timeline={timeline} />;
}

function VirtualTimeline({
  conversationId,
  title,
  timeline,
  ref,
}: {
  conversationId: string;
  title: string;
  timeline: Timeline;
  ref?: Ref<MessageListHandle>;
}) {
  const actions = useActions();
  const today = useToday();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [settled, setSettled] = useState(false);
  const [atEnd, setAtEnd] = useState(true);

  const rows = useMemo<readonly ListRow[]>(() => {
    const head: ListRow =
      timeline.olderCursor === null ? { kind: 'start', key: 'start' } : { kind: 'older', key: 'older' };
    return [
      head,
      ...buildTimelineRows(timeline.messages, { firstUnreadId: timeline.firstUnreadId, now: today }),
    ];
  }, [timeline.messages, timeline.firstUnreadId, timeline.olderCursor, today]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => estimateRow(rows[index]),
    getItemKey: (index) => rows[index]?.key ?? index,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: 80,
    overscan: 10,
    paddingStart: 8,
    paddingEnd: 12,
  });

  // Whether the view is pinned to the latest message. Row heights are measured after they
  // render, so the history grows under the viewport for a few frames; while pinned, the view
  // follows it (and any new message) to the bottom. Scrolling away unpins it.
  const pinned = useRef(true);
  const totalSize = virtualizer.getTotalSize();

  const pinToEnd = useCallback(() => {
    const element = scrollRef.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, []);

  // Open at the unread marker when there is one, else at the latest message.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once, when the history first shows.
  useLayoutEffect(() => {
    const unread = rows.findIndex((row) => row.kind === 'unread');
    if (unread !== -1) {
      pinned.current = false;
      virtualizer.scrollToIndex(unread, { align: 'start' });
    } else pinToEnd();
    const frame = requestAnimationFrame(() => setSettled(true));
    return () => cancelAnimationFrame(frame);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: totalSize is the trigger: the history grew.
  useLayoutEffect(() => {
    if (pinned.current) pinToEnd();
  }, [totalSize]);

  // Only the person unpins the view: the virtualizer's own scroll corrections must not.
  const intentAt = useRef(Number.NEGATIVE_INFINITY);
  const dragging = useRef(false);
  const noteIntent = () => {
    intentAt.current = performance.now();
  };
  useEffect(() => {
    const release = () => {
      dragging.current = false;
    };
    window.addEventListener('pointerup', release);
    return () => window.removeEventListener('pointerup', release);
  }, []);

  const onScroll = () => {
    const element = scrollRef.current;
    if (!element) return;
    const distance = element.scrollHeight - element.scrollTop - element.clientHeight;
    const byPerson = dragging.current || performance.now() - intentAt.current < 800;
    if (byPerson) pinned.current = distance <= 80;
    else if (pinned.current && distance > 1) pinToEnd();
    setAtEnd(distance <= 160 || pinned.current);
  };

  useImperativeHandle(
    ref,
    () => ({
      scrollToLatest: () => {
        pinned.current = true;
        requestAnimationFrame(pinToEnd);
      },
    }),
    [pinToEnd],
  );

  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const canLoadOlder =
    timeline.olderCursor !== null && !timeline.loadingOlder && timeline.olderError === null;
  useEffect(() => {
    if (settled && canLoadOlder && firstIndex <= 3) void actions.loadOlder(conversationId);
  }, [actions, conversationId, settled, canLoadOlder, firstIndex]);

  return (
    <div className="messages-frame">
      <div
        ref={scrollRef}
        className="messages"
        role="log"
        aria-label="Messages"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus so the keyboard can scroll it (WCAG 2.1.1).
        tabIndex={0}
        onScroll={onScroll}
        onWheel={noteIntent}
        onTouchMove={noteIntent}
        onKeyDown={noteIntent}
        onPointerDown={() => {
          dragging.current = true;
          noteIntent();
        }}
      >
        <div className="messages__canvas" style={{ height: totalSize }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <div
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className="messages__row"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {row.kind === 'start' ? (
                  <TimelineStart title={title} />
                ) : row.kind === 'older' ? (
                  <OlderMessages timeline={timeline} onRetry={() => void actions.loadOlder(conversationId)} />
                ) : (
                  <TimelineRowView row={row} peerName={title} />
                )}
              </div>
            );
          })}
        </div>
      </div>
      {!atEnd && (
        <button
          type="button"
          className="jump-latest"
          aria-label="Jump to latest message"
          title="Jump to latest message"
          onClick={() => {
            pinned.current = true;
            pinToEnd();
          }}
        >
          <Icon name="arrowDown" />
        </button>
      )}
    </div>
  );
}
