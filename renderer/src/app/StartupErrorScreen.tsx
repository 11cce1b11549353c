import type { ErrorInfo } from '../../../shared/errors';
import { ErrorNotice } from '../design/ErrorNotice';
import { ParleyMark } from './ParleyMark';

/** The core did not answer the first question; say so and offer another try. */
export function StartupErrorScreen({ error, onRetry }: { error: ErrorInfo; onRetry: () => void }) {
  return (
    <main className="centered-screen">
      <div className="card card--narrow">
        <ParleyMark />
        <h1 className="card__title">Parley couldn't start</h1>
        <ErrorNotice error={error} />
        <button type="button" className="button button--primary button--block" onClick={onRetry}>
          Try again
        </button>
      </div>
    </main>
  );
}
