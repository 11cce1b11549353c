/**
 * Files of this chat that were refused (before anything was read: too large, a blocked type) or
 * could not be sent, each with the core's reason and its code, until the person dismisses it.
 */
import { useActions, useParley } from '../app/ParleyContext';
import { Icon } from '../design/Icon';
import { middleTruncate } from './file-name';

export function FileProblems({ conversationId }: { conversationId: string }) {
  const actions = useActions();
  const problems = useParley((s) => s.fileProblems[conversationId]);
  if (!problems || problems.length === 0) return null;
  return (
    <ul className="file-problems" aria-label="Files not sent">
      {problems.map((problem) => (
        <li key={problem.id}>
          <div className="error-notice file-problem" role="alert">
            <Icon name="alert" className="error-notice__icon" />
            <div className="error-notice__body">
              <p className="error-notice__message">
                <strong className="file-problem__name" title={problem.fileName}>
                  {middleTruncate(problem.fileName, 48)} wasn't sent.
                </strong>{' '}
                {problem.error.message}
              </p>
              <p className="error-notice__code">{problem.error.code}</p>
            </div>
            <button
              type="button"
              className="icon-button"
              aria-label={`Dismiss the notice about ${problem.fileName}`}
              title="Dismiss"
              onClick={() => actions.dismissFileProblem(conversationId, problem.id)}
            >
              <Icon name="close" size={18} />
            </button>
          </div>
        </li>
      ))}
    </ul>
  );
}
