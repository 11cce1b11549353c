import type { DeliveryState } from '../../../shared/ipc';
import { Icon } from '../design/Icon';

type Shown = Exclude<DeliveryState, 'failed'>;

const LABELS: Record<Shown, string> = {
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
};

/**
 * The mark after an outgoing message, as in Signal: a clock while sending, one circle when the
 * relay has it, two when the other device has it, two filled when it was read. The state is
 * also in words, for screen readers (and tests).
 */
export function DeliveryStatus({ state }: { state: Shown }) {
  const label = LABELS[state];
  return (
    <span className={`delivery delivery--${state}`} title={label}>
      {state === 'sending' ? <Icon name="clock" size={14} /> : <Circles state={state} />}
      <span className="sr-only">{label}</span>
    </span>
  );
}

function Circles({ state }: { state: Exclude<Shown, 'sending'> }) {
  const filled = state === 'read';
  const tick = (x: number) => `M${x - 2.6} 8.2l1.8 1.8 3.4-3.6`;
  return (
    <svg
      className="delivery__icon"
      width={state === 'sent' ? 14 : 20}
      height={14}
      viewBox={state === 'sent' ? '0 0 16 16' : '0 0 24 16'}
      fill="none"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {state === 'sent' ? (
        <>
          <circle cx="8" cy="8" r="6.25" className="delivery__ring" />
          <path d={tick(8)} className="delivery__tick" />
        </>
      ) : (
        <>
          <circle cx="8" cy="8" r="6.25" className={filled ? 'delivery__ring is-filled' : 'delivery__ring'} />
          <path d={tick(8)} className={filled ? 'delivery__tick is-filled' : 'delivery__tick'} />
          <circle
            cx="16"
            cy="8"
            r="6.25"
            className={filled ? 'delivery__ring is-filled' : 'delivery__ring is-front'}
          />
          <path d={tick(16)} className={filled ? 'delivery__tick is-filled' : 'delivery__tick'} />
        </>
      )}
    </svg>
  );
}
