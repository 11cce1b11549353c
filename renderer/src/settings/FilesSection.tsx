/**
 * Files: how large a received file may be to download by itself, and what this device lets you
 * send (its largest size and blocked types come from its configuration, later a managed policy).
 */
import { useEffect, useId, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import { useActions, useParley } from '../app/ParleyContext';
import { ErrorNotice } from '../design/ErrorNotice';
import { formatBytes } from '../files/file-size';

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
  const [choosing, setChoosing] = useState<number | null>(null);
  const selectId = useId();
  const hintId = useId();

  useEffect(() => {
    if (rules) return;
    void actions.loadFileRules().then((result) => {
      if (!result.ok) setError(result.error);
    });
  }, [actions, rules]);

  const saved = rules?.autoDownloadMaxBytes ?? null;
  const bytes = choosing ?? saved;
  // A size set elsewhere (the default, a policy) is shown as it is rather than as a wrong choice.
  const choices =
    bytes === null || CHOICES.some((c) => c.bytes === bytes)
      ? CHOICES
      : [...CHOICES, { bytes, label: formatBytes(bytes) }].sort((a, b) => a.bytes - b.bytes);
  const blocked = rules?.blockedExtensions ?? [];

  return (
    <section className="settings-section" aria-labelledby="settings-files">
      <h3 className="settings-section__title" id="settings-files">
        Files
      </h3>
      <div className="field">
        <label className="field__label" htmlFor={selectId}>
          Download files automatically up to
        </label>
        <select
          id={selectId}
          className="field__input field__select"
          aria-describedby={hintId}
          value={bytes ?? ''}
          disabled={bytes === null}
          onChange={async (event) => {
            const next = Number(event.target.value);
            setError(null);
            setChoosing(next);
            const result = await actions.setAutoDownload(next);
            setChoosing(null);
            if (!result.ok) setError(result.error);
          }}
        >
          {bytes === null && <option value="">Unavailable</option>}
          {choices.map((choice) => (
            <option key={choice.bytes} value={choice.bytes}>
              {choice.label}
            </option>
          ))}
        </select>
        <p className="field__hint" id={hintId}>
          Larger files wait until you choose Download. Files stay encrypted on this device until you save
          them.
        </p>
      </div>
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
