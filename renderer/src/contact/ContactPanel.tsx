/**
 * The right panel: who this is, the safety number to compare with them (60 digits and a QR
 * code) with the verified switch, and the files shared in the chat. A complementary landmark;
 * Esc or Close puts it away.
 */
import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { SafetyNumberView } from '../../../shared/ipc';
import { useActions, useParley } from '../app/ParleyContext';
import { Avatar } from '../design/Avatar';
import { ErrorNotice } from '../design/ErrorNotice';
import { Icon } from '../design/Icon';
import { Skeleton } from '../design/Skeleton';
import { SharedFiles } from './SharedFiles';
import { groupSafetyNumber } from './safety-number-groups';
import { useQrDataUrl } from './useQrDataUrl';
import './contact.css';

const GROUP_SLOTS = Array.from({ length: 12 }, (_, i) => `group-${i}`);

type Loaded =
  | { status: 'loading' }
  | { status: 'ready'; view: SafetyNumberView }
  | { status: 'failed'; error: ErrorInfo };

export function ContactPanel({ conversationId }: { conversationId: string }) {
  const actions = useActions();
  const conversation = useParley((s) => s.conversations.items.find((c) => c.id === conversationId) ?? null);
  const peerUserId = conversation?.peerUserId ?? '';
  const contact = useParley((s) => s.contacts[peerUserId] ?? null);
  const keyChanged = conversation?.keyChanged ?? false;
  const verified = conversation?.verified ?? false;
  const [safety, setSafety] = useState<Loaded>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<ErrorInfo | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const qr = useQrDataUrl(safety.status === 'ready' ? safety.view.qrPayload : null);

  // Focus moves into the panel so a screen reader starts at its title, and back to the
  // button that opened it when the panel closes with focus inside.
  useEffect(() => {
    heading.current?.focus();
    const panel = heading.current?.closest('aside');
    return () => {
      if (panel?.contains(document.activeElement) || document.activeElement === document.body) {
        document.querySelector<HTMLElement>('[data-contact-panel-trigger]')?.focus();
      }
    };
  }, []);

  // Fetched again when the key changes: the number itself is different then.
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyChanged and attempt are refetch triggers.
  useEffect(() => {
    if (!peerUserId) return;
    let current = true;
    setSafety({ status: 'loading' });
    actions.safetyNumber(peerUserId).then((result) => {
      if (current)
        setSafety(
          result.ok ? { status: 'ready', view: result.value } : { status: 'failed', error: result.error },
        );
    });
    return () => {
      current = false;
    };
  }, [actions, peerUserId, keyChanged, attempt]);

  if (!conversation) return null;
  const name = conversation.title;

  async function setVerified(next: boolean) {
    setBusy(true);
    setActionError(null);
    const result = await actions.setVerified(peerUserId, next);
    setBusy(false);
    if (!result.ok) setActionError(result.error);
  }

  return (
    <aside className="contact-panel" id="contact-panel" aria-label="Contact details">
      <header className="contact-panel__header">
        <h2 className="contact-panel__title" ref={heading} tabIndex={-1}>
          Safety number
        </h2>
        <button
          type="button"
          className="icon-button"
          aria-label="Close"
          title="Close (Esc)"
          onClick={() => actions.showPanel('none')}
        >
          <Icon name="close" />
        </button>
      </header>

      <div className="contact-panel__body">
        <div className="contact-card">
          <Avatar id={peerUserId} name={name} size={64} />
          <p className="contact-card__name">{name}</p>
          {contact && <p className="contact-card__username">@{contact.username}</p>}
          <p className={`contact-card__state${verified ? ' is-verified' : ''}`}>
            <Icon name={verified ? 'shieldCheck' : 'shield'} size={16} />
            {verified ? 'Verified' : 'Not verified'}
          </p>
        </div>

        <p className="contact-panel__explain">
          To check that your messages reach {name} and no one in between, compare these numbers with the ones
          on {name}'s screen, in person or on a call you trust, or scan the code. If they match, mark them
          verified.
        </p>

        {safety.status === 'loading' && (
          <div className="safety-number safety-number--loading" aria-busy="true">
            <span className="sr-only">Loading the safety number…</span>
            {GROUP_SLOTS.map((slot) => (
              <Skeleton key={slot} width={52} height={18} />
            ))}
          </div>
        )}
        {safety.status === 'failed' && (
          <ErrorNotice
            error={safety.error}
            action={
              <button
                type="button"
                className="button button--secondary"
                onClick={() => setAttempt((n) => n + 1)}
              >
                Try again
              </button>
            }
          />
        )}
        {safety.status === 'ready' && (
          <>
            <div className="safety-number" data-testid="safety-number">
              {groupSafetyNumber(safety.view.digits).map((group, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a group's position is its identity; digits may repeat.
                <span key={i} className="safety-number__group">
                  {group}
                  {i < 11 ? ' ' : ''}
                </span>
              ))}
            </div>
            <div className="safety-qr">
              {qr ? (
                <img
                  className="safety-qr__image"
                  src={qr}
                  alt="Safety number QR code"
                  width={176}
                  height={176}
                />
              ) : (
                <Skeleton width={176} height={176} />
              )}
            </div>
          </>
        )}

        {actionError && <ErrorNotice error={actionError} />}

        <button
          type="button"
          className={`button button--block ${verified ? 'button--secondary' : 'button--primary'}`}
          disabled={busy || safety.status !== 'ready'}
          onClick={() => void setVerified(!verified)}
        >
          {verified ? 'Mark as not verified' : 'Mark as verified'}
        </button>
        {keyChanged && (
          <p className="contact-panel__note">
            This number changed recently. Check the new one with {name} before you mark it verified.
          </p>
        )}

        <SharedFiles conversationId={conversationId} peerName={name} />
      </div>
    </aside>
  );
}
