/**
 * Revocations made outside this process (the admin CLI, another relay node) reach this node
 * through the audit log in the shared store: the watcher reads new events every `intervalMs` and
 * disconnects the revoked device or deactivated user here. Revocations made in this process
 * disconnect at once without waiting for it.
 */
import type { DeviceAddress } from '../../shared/address';
import type { Logger } from '../logger';
import type { RelayStore } from '../store/relay-store';

export interface RevocationWatcherDeps {
  readonly store: RelayStore;
  readonly logger: Logger;
  readonly onDeviceRevoked: (address: DeviceAddress) => void;
  readonly onUserDeactivated: (userId: string) => void;
}

export class RevocationWatcher {
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: RevocationWatcherDeps) {}

  /** Starts from the log's current end: earlier revocations were refused at authentication. */
  async start(intervalMs: number): Promise<void> {
    this.seq = await this.deps.store.lastAuditSeq();
    this.timer = setInterval(() => {
      this.running ??= this.poll().finally(() => {
        this.running = null;
      });
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async poll(): Promise<void> {
    try {
      for (;;) {
        const events = await this.deps.store.auditEvents(this.seq, 200);
        for (const event of events) {
          this.seq = event.seq;
          if (event.type === 'device.revoked' && event.userId !== null && event.deviceId !== null) {
            this.deps.onDeviceRevoked({ userId: event.userId, deviceId: event.deviceId });
          } else if (event.type === 'user.deactivated' && event.userId !== null) {
            this.deps.onUserDeactivated(event.userId);
          }
        }
        if (events.length < 200) return;
      }
    } catch (error) {
      this.deps.logger.error(
        { event: 'relay.revocation_poll_failed', err: error },
        'could not read the audit log',
      );
    }
  }
}
