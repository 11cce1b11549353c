import { Icon } from '../design/Icon';

/** The top of a history that has nothing older: whose chat this is, and that it is encrypted. */
export function TimelineStart({ title }: { title: string }) {
  return (
    <div className="timeline-start">
      <span className="timeline-start__icon">
        <Icon name="lock" size={18} />
      </span>
      <p className="timeline-start__title">This is the beginning of your chat with {title}.</p>
      <p className="timeline-start__text">
        Messages are end-to-end encrypted: they stay between you and {title}. Compare safety numbers to be
        sure you are talking to the right person.
      </p>
    </div>
  );
}
