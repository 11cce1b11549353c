/** What shows for the moment before the core answers: the shape of a card, not a spinner. */
import { Skeleton } from '../design/Skeleton';
import { ParleyMark } from './ParleyMark';

export function BootScreen() {
  return (
    <main className="centered-screen" aria-busy="true">
      <div className="card card--narrow boot-card">
        <ParleyMark />
        <h1 className="sr-only">Starting Parley…</h1>
        <Skeleton width="60%" height={18} />
        <Skeleton width="85%" />
        <Skeleton width="100%" height={36} />
        <Skeleton width="100%" height={36} />
      </div>
    </main>
  );
}
