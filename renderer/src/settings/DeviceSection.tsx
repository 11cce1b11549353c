import type { AccountView } from '../../../shared/ipc';

/** Facts about this device, for support and for comparing with another of your devices. */
export function DeviceSection({ account }: { account: AccountView }) {
  return (
    <section className="settings-section" aria-labelledby="settings-device">
      <h3 className="settings-section__title" id="settings-device">
        This device
      </h3>
      <dl className="facts">
        <div className="facts__row">
          <dt>Username</dt>
          <dd>@{account.username}</dd>
        </div>
        <div className="facts__row">
          <dt>Device</dt>
          <dd>Device {account.deviceId}</dd>
        </div>
        <div className="facts__row">
          <dt>Relay</dt>
          <dd className="facts__mono">{account.relayUrl}</dd>
        </div>
        <div className="facts__row">
          <dt>Fingerprint</dt>
          <dd className="facts__mono facts__fingerprint">{account.deviceFingerprint}</dd>
        </div>
      </dl>
    </section>
  );
}
