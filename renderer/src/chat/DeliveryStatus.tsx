import type { DeliveryState } from '../../../shared/ipc';
import { Icon, type IconName } from '../design/Icon';

type Shown = Exclude<DeliveryState, 'failed'>;

const LOOK: Record<Shown, { label: string; icon: IconName }> = {
  sending: { label: 'Sending', icon: 'clock' },
  sent: { label: 'Sent', icon: 'check' },
  delivered: { label: 'Delivered', icon: 'checkDouble' },
  read: { label: 'Read', icon: 'checkDouble' },
};

/** The tick after an outgoing message, with its state in words for screen readers and tests. */
export function DeliveryStatus({ state }: { state: Shown }) {
  const { label, icon } = LOOK[state];
  return (
    <span className={`delivery delivery--${state}`} title={label}>
      <Icon name={icon} size={15} />
      <span className="sr-only">{label}</span>
    </span>
  );
}
