/**
 * The open conversation: header, warnings, the messages and the composer. Files dragged onto
 * any of it are sent here; a drop zone shows (and is announced) while they are over it.
 */
import { type DragEvent, useEffect, useRef, useState } from 'react';
import { useActions, useParley } from '../app/ParleyContext';
import { usePageVisible } from '../shell/usePageVisible';
import { ChatHeader } from './ChatHeader';
import { Composer } from './Composer';
import { DropZone } from './DropZone';
import { KeyChangeBanner } from './KeyChangeBanner';
import { MessageList, type MessageListHandle } from './MessageList';
import './chat.css';

export function ChatPane({ conversationId }: { conversationId: string }) {
  const actions = useActions();
  const conversation = useParley((s) => s.conversations.items.find((c) => c.id === conversationId) ?? null);
  const timelineReady = useParley((s) => s.timelines[conversationId]?.status === 'ready');
  const visible = usePageVisible();
  const list = useRef<MessageListHandle>(null);
  const [dragging, setDragging] = useState(false);
  // dragenter and dragleave fire for every child crossed: count them to know when it really left.
  const dragDepth = useRef(0);
  const peerUserId = conversation?.peerUserId ?? null;
  const unread = conversation?.unreadCount ?? 0;

  useEffect(() => {
    if (peerUserId) void actions.loadContact(peerUserId);
  }, [actions, peerUserId]);

  // Reading is seeing: while this chat is on screen, what arrives is read (and the sender told so).
  useEffect(() => {
    if (unread > 0 && timelineReady && visible) void actions.markRead(conversationId);
  }, [actions, conversationId, unread, timelineReady, visible]);

  // A drop that ends outside the chat (or an Esc) never sends dragleave here: reset on both.
  useEffect(() => {
    const reset = () => {
      dragDepth.current = 0;
      setDragging(false);
    };
    window.addEventListener('dragend', reset);
    window.addEventListener('drop', reset);
    return () => {
      window.removeEventListener('dragend', reset);
      window.removeEventListener('drop', reset);
    };
  }, []);

  if (!conversation) return null;
  const blocked = conversation.keyChanged && conversation.verified;
  const onSent = () => list.current?.scrollToLatest();

  const drag = {
    onDragEnter: (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      dragDepth.current++;
      setDragging(true);
    },
    onDragOver: (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = blocked ? 'none' : 'copy';
    },
    onDragLeave: (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      dragDepth.current = Math.max(0, dragDepth.current - 1);
      if (dragDepth.current === 0) setDragging(false);
    },
    onDrop: (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      dragDepth.current = 0;
      setDragging(false);
      const files = Array.from(event.dataTransfer.files);
      if (files.length > 0 && !blocked) void actions.sendFiles(conversationId, files, onSent);
    },
  };

  return (
    <main className="chat" aria-label={`Chat with ${conversation.title}`} {...drag}>
      <ChatHeader conversation={conversation} />
      {conversation.keyChanged && <KeyChangeBanner conversation={conversation} />}
      <MessageList ref={list} conversationId={conversationId} title={conversation.title} />
      <Composer conversation={conversation} onSent={onSent} />
      <DropZone active={dragging} title={conversation.title} blocked={blocked} />
    </main>
  );
}

/** Files from the desktop or a file manager, not text or a link dragged from the page. */
function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}
