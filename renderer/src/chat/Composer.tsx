/**
 * Where a message is written. Enter sends, Shift+Enter starts a new line (and Enter while an
 * input method is composing belongs to the input method). The draft survives switching chats.
 * Files come by the attach button (several at once) or by pasting; each is sent at once as its
 * own message, and what is refused shows above the box with its reason.
 */
import { type ClipboardEvent, type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { ConversationView } from '../../../shared/ipc';
import { useActions, useParley } from '../app/ParleyContext';
import { ErrorNotice } from '../design/ErrorNotice';
import { Icon } from '../design/Icon';
import { FileProblems } from '../files/FileProblems';

/** The core refuses longer messages (shared/ipc-schemas MAX_MESSAGE_CHARS); warn before it does. */
const MAX_CHARS = 16_000;
const WARN_AT = MAX_CHARS - 500;

export function Composer({ conversation, onSent }: { conversation: ConversationView; onSent: () => void }) {
  const actions = useActions();
  const text = useParley((s) => s.drafts[conversation.id] ?? '');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const latest = useRef(text);
  latest.current = text;
  const blocked = conversation.keyChanged && conversation.verified;
  const canSend = text.trim() !== '' && text.length <= MAX_CHARS && !blocked;

  // Opening a chat puts the cursor in its composer, as in Signal.
  useEffect(() => input.current?.focus({ preventScroll: true }), []);

  async function send(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    const body = text.trim();
    setError(null);
    // The box empties at once so the next message can be typed while this one goes out.
    actions.setDraft(conversation.id, '');
    const result = await actions.send(conversation.id, body);
    if (result.ok) {
      onSent();
      return;
    }
    setError(result.error);
    // Give the text back so nothing typed is lost, unless something new was typed meanwhile.
    if (latest.current === '') actions.setDraft(conversation.id, text);
  }

  const sendFiles = (files: readonly File[]) => {
    if (files.length > 0 && !blocked) void actions.sendFiles(conversation.id, files, onSent);
  };

  // Pasted files (a screenshot, files copied in a file manager) are sent; pasted text is typed.
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = Array.from(event.clipboardData.files);
    if (files.length === 0) return;
    event.preventDefault();
    sendFiles(files);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <div className="composer-area">
      <FileProblems conversationId={conversation.id} />
      {error && <ErrorNotice error={error} className="composer__error" />}
      {blocked && (
        <p className="composer__blocked">
          <Icon name="shield" size={16} />
          Accept {conversation.title}'s new safety number above to send messages again.
        </p>
      )}
      <form className={blocked ? 'composer is-disabled' : 'composer'} onSubmit={send}>
        <button
          type="button"
          className="composer__attach"
          aria-label="Attach files"
          title="Attach files"
          disabled={blocked}
          onClick={() => picker.current?.click()}
        >
          <Icon name="attach" />
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          tabIndex={-1}
          onChange={(event) => {
            const files = Array.from(event.target.files ?? []);
            // Cleared, so that choosing the same file again is a change too.
            event.target.value = '';
            sendFiles(files);
          }}
        />
        <textarea
          ref={input}
          className="composer__input"
          aria-label="Message"
          placeholder={blocked ? 'Sending is paused' : `Message ${conversation.title}`}
          rows={1}
          value={text}
          disabled={blocked}
          onChange={(event) => {
            actions.setDraft(conversation.id, event.target.value);
            if (error) setError(null);
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
        />
        <button
          type="submit"
          className="composer__send"
          aria-label="Send"
          title="Send (Enter)"
          disabled={!canSend}
        >
          <Icon name="send" />
        </button>
      </form>
      {text.length > WARN_AT && (
        <p className={`composer__count${text.length > MAX_CHARS ? ' is-over' : ''}`} role="status">
          {text.length > MAX_CHARS
            ? `${(text.length - MAX_CHARS).toLocaleString()} characters over the limit; shorten the message or split it.`
            : `${(MAX_CHARS - text.length).toLocaleString()} characters left`}
        </p>
      )}
    </div>
  );
}
