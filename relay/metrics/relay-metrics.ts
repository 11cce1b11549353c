/**
 * The relay's Prometheus metrics, in the text exposition format (version 0.0.4). Counters are
 * per node; the mailbox depth comes from the store, so every node reports the shared total.
 */
import type { ErrorCode } from '../../shared/errors';

/** Values read when the metrics are scraped. */
export interface RelayGauges {
  readonly mailboxDepth: number;
  readonly heapUsedBytes: number;
  readonly sockets: number;
  readonly deliverySessions: number;
  readonly rateLimitKeys: number;
  readonly commitQueueBytes: number;
}

export class RelayMetrics {
  connectedDevices = 0;
  envelopesIn = 0;
  envelopesOut = 0;
  envelopesAcked = 0;
  groupCommits = 0;
  readonly errors = new Map<ErrorCode, number>();

  error(code: ErrorCode): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  render(gauges: RelayGauges): string {
    const lines: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    metric('parley_relay_connected_devices', 'gauge', 'Authenticated device connections on this node.', [
      ['', this.connectedDevices],
    ]);
    metric('parley_relay_envelopes_in_total', 'counter', 'Envelopes committed to mailboxes by this node.', [
      ['', this.envelopesIn],
    ]);
    metric('parley_relay_envelopes_out_total', 'counter', 'Envelopes delivered to devices by this node.', [
      ['', this.envelopesOut],
    ]);
    metric(
      'parley_relay_envelopes_acked_total',
      'counter',
      'Envelopes deleted after their device acknowledged them.',
      [['', this.envelopesAcked]],
    );
    metric('parley_relay_mailbox_depth', 'gauge', 'Envelopes waiting in all mailboxes.', [
      ['', gauges.mailboxDepth],
    ]);
    metric('parley_relay_group_commits_total', 'counter', 'Mailbox transactions committed by this node.', [
      ['', this.groupCommits],
    ]);
    metric(
      'parley_relay_errors_total',
      'counter',
      'Requests and events refused, by error code.',
      [...this.errors.entries()].sort().map(([code, n]) => [`{code="${code}"}`, n]),
    );
    metric('parley_relay_sockets', 'gauge', 'Open connections on this node, authenticated or not.', [
      ['', gauges.sockets],
    ]);
    metric('parley_relay_delivery_sessions', 'gauge', 'Devices this node delivers to.', [
      ['', gauges.deliverySessions],
    ]);
    metric('parley_relay_rate_limit_keys', 'gauge', 'Devices and addresses with rate-limit state.', [
      ['', gauges.rateLimitKeys],
    ]);
    metric('parley_relay_commit_queue_bytes', 'gauge', 'Envelope bytes received and waiting to be stored.', [
      ['', gauges.commitQueueBytes],
    ]);
    metric('parley_relay_heap_used_bytes', 'gauge', 'V8 heap in use.', [['', gauges.heapUsedBytes]]);
    return `${lines.join('\n')}\n`;
  }
}
