/**
 * Routes committed envelopes to the delivery sessions of this node, and tells the other nodes
 * (through the socket.io adapter, over Redis) which mailboxes changed when a recipient is not
 * connected here. Only mailbox addresses cross between nodes; the bytes stay in the store.
 */
import type { DeviceAddress } from '../../shared/address';
import type { StoredEnvelope } from '../store/relay-store';
import type { DeliverySession } from './delivery-session';

function key(address: DeviceAddress): string {
  return `${address.userId}.${address.deviceId}`;
}

export class DeliveryHub {
  private readonly sessions = new Map<string, DeliverySession>();

  /** `notifyNodes` is null on a single node. */
  constructor(private readonly notifyNodes: ((addresses: string[]) => void) | null) {}

  get size(): number {
    return this.sessions.size;
  }

  /** The device's session on this node; a newer connection of the same device replaces the old one. */
  attach(session: DeliverySession): void {
    const k = key(session.address);
    this.sessions.get(k)?.close();
    this.sessions.set(k, session);
    session.start();
  }

  detach(session: DeliverySession): void {
    const k = key(session.address);
    if (this.sessions.get(k) === session) this.sessions.delete(k);
    session.close();
  }

  stored(envelopes: readonly StoredEnvelope[]): void {
    const byDevice = new Map<string, StoredEnvelope[]>();
    // Envelopes of one batch to one device share their address object: look it up once.
    let lastTo: DeviceAddress | null = null;
    let list: StoredEnvelope[] = [];
    for (const e of envelopes) {
      if (e.to !== lastTo) {
        lastTo = e.to;
        const k = key(e.to);
        const known = byDevice.get(k);
        if (known) list = known;
        else {
          list = [];
          byDevice.set(k, list);
        }
      }
      list.push(e);
    }
    const elsewhere: string[] = [];
    for (const [k, list] of byDevice) {
      const session = this.sessions.get(k);
      if (session) session.push(list);
      else elsewhere.push(k);
    }
    if (elsewhere.length > 0) this.notifyNodes?.(elsewhere);
  }

  /** Another node committed envelopes for these mailboxes. */
  news(addresses: readonly unknown[]): void {
    for (const k of addresses) if (typeof k === 'string') this.sessions.get(k)?.poke();
  }
}
