/** The open conversation: header, warnings, the messages and the composer. */
import { useEffect, useRef } from 'react';
import { useActions, useParley } from '../app/ParleyContext';
import { usePageVisible } from '../shell/usePageVisible';
import { ChatHeader } from './ChatHeader';
import { Composer } from './Composer';
import { KeyChangeBanner } from './KeyChangeBanner';
import { MessageList, type MessageListHandle } from './MessageList';
import './chat.css';

export function ChatPane({ conversationId }: { conversationId: string }) {
  const actions = useActions();
  const conversation = useParley((s) => s.conversations.items.find((c) => c.id === conversationId) ?? null);
  const timelineReady = useParley((s) => s.timelines[conversationId]?.status === 'ready');
  const visible = usePageVisible();
  const list = useRef<MessageListHandle>(null);
  const peerUserId = conversation?.peerUserId ?? null;
  const unread = conversation?.unreadCount ?? 0;

  useEffect(() => {
    if (peerUserId) void actions.loadContact(peerUserId);
  }, [actions, peerUserId]);

  // Reading is seeing: while this chat is on screen, what arrives is read (and the sender told so).
  useEffect(() => {
    if (unread > 0 && timelineReady && visible) void actions.markRead(conversationId);
  }, [actions, conversationId, unread, timelineReady, visible]);

  if (!conversation) return null;
  return (
    <main className="chat" aria-label={`Chat with ${conversation.title}`}>
      <ChatHeader conversation={conversation} />
      {conversation.keyChanged && <KeyChangeBanner conversation={conversation} />}
      <MessageList ref={list} conversationId={conversationId} title={conversation.title} />
      <Composer conversation={conversation} onSent={() => list.current?.scrollToLatest()} />
    </main>
  );
}
