/**
 * Whether messages can go out now. Offline is a banner, because what you send then waits; the
 * queue count says how much is waiting. Online, the queue drains by itself and is not shown.
 */
import { useParley } from '../app/ParleyContext';
import { Icon } from '../design/Icon';

export function ConnectionStatus() {
  const connection = useParley((s) => s.app?.connection ?? 'connecting');
  const queued = useParley((s) => s.app?.queued ?? 0);
  const waiting = queued > 0 ? `${queued} ${queued === 1 ? 'message' : 'messages'} waiting to send` : null;

  if (connection === 'offline') {
    return (
      <div className="connection connection--offline" role="status">
        <Icon name="offline" size={18} />
        <div>
          <p className="connection__text">Offline — messages will be sent when you reconnect</p>
          {waiting && <p className="connection__detail">{waiting}</p>}
        </div>
      </div>
    );
  }
  return (
    <div className={`connection connection--${connection}`} role="status">
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__text">{connection === 'online' ? 'Connected' : 'Connecting…'}</span>
      {connection === 'connecting' && waiting && <span className="connection__detail">· {waiting}</span>}
    </div>
  );
}
