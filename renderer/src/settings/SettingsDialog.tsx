/**
 * Settings: your profile, appearance, privacy (auto-lock, lock now), files (automatic download,
 * this device's limits), passphrase and this device.
 */
import { useActions, useParley } from '../app/ParleyContext';
import { Dialog } from '../design/Dialog';
import { AppearanceSection } from './AppearanceSection';
import { DeviceSection } from './DeviceSection';
import { FilesSection } from './FilesSection';
import { NotificationsSection } from './NotificationsSection';
import { PassphraseSection } from './PassphraseSection';
import { ProfileSection } from './ProfileSection';
import { SecuritySection } from './SecuritySection';
import './settings.css';

export function SettingsDialog() {
  const actions = useActions();
  const account = useParley((s) => s.app?.account ?? null);
  return (
    <Dialog title="Settings" onClose={() => actions.showDialog('none')} className="settings">
      <div className="dialog__body settings__body">
        {account && <ProfileSection account={account} />}
        <AppearanceSection />
        <NotificationsSection />
        <SecuritySection />
        <FilesSection />
        <PassphraseSection />
        {account && <DeviceSection account={account} />}
      </div>
    </Dialog>
  );
}
