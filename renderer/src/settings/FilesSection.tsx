/**
 * Files: how large a received file may be to download by itself, and what this device lets you
 * send (its largest size and blocked types come from its configuration, later a managed policy).
 */
import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import { useActions, useParley } from '../app/ParleyContext';
import { ErrorNotice } from '../design/ErrorNotice';
import { formatBytes } from '../files/file-size';
import { SettingSelect } from './SettingSelect';

const MB = 1000 * 1000;
const CHOICES: readonly { bytes: number; label: string }[] = [
  { bytes: 0, label: 'Off' },
  { bytes: 1 * MB, label: '1 MB' },
  { bytes: 10 * MB, label: '10 MB' },
  { bytes: 50 * MB, label: '50 MB' },
  { bytes: 100 * MB, label: '100 MB' },
];

/** Blocked types named in the hint; the rest are counted. */
const SHOWN_TYPES = 6;

export function FilesSection() {
  const actions = useActions();
  const rules = useParley((s) => s.fileRules);
  const [error, setError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    if (rules) return;
    void actions.loadFileRules().then((result) => {
      if (!result.ok) setError(result.error);
    });
  }, [actions, rules]);

  const saved = rules?.autoDownloadMaxBytes ?? null;
  // A size set elsewhere (the default, a policy) is shown as it is rather than as a wrong choice.
  const known = saved === null || CHOICES.some((c) => c.bytes === saved);
  const choices = (known ? CHOICES : [...CHOICES, { bytes: saved, label: formatBytes(saved) }])
    .map((c) => ({ value: c.bytes, label: c.label }))
    .sort((a, b) => a.value - b.value);
  const blocked = rules?.blockedExtensions ?? [];

  return (
    <section className="settings-section" aria-labelledby="settings-files">
      <h3 className="settings-section__title" id="settings-files">
        Files
      </h3>
      <SettingSelect
        label="Download files automatically up to"
        saved={saved}
        choices={choices}
        save={(next) => actions.setAutoDownload(next)}
        onError={setError}
        hint="Larger files wait until you choose Download. Files stay encrypted on this device until you save them."
      />
      {rules && (
        <dl className="facts">
          <div className="facts__row">
            <dt>Largest file</dt>
            <dd>{formatBytes(rules.maxBytes)}</dd>
          </div>
          {blocked.length > 0 && (
            <div className="facts__row">
              <dt>Blocked types</dt>
              <dd>
                {blocked
                  .slice(0, SHOWN_TYPES)
                  .map((e) => `.${e}`)
                  .join(', ')}
                {blocked.length > SHOWN_TYPES ? ` and ${blocked.length - SHOWN_TYPES} more` : ''}
                <span className="facts__note">Programs and installers, which can run when opened.</span>
              </dd>
            </div>
          )}
        </dl>
      )}
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
