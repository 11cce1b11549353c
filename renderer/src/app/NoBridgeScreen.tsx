import { ErrorNotice } from '../design/ErrorNotice';
import { ParleyMark } from './ParleyMark';

/** The page was opened without its core (e.g. the built files opened directly in a browser). */
export function NoBridgeScreen() {
  return (
    <main className="centered-screen">
      <div className="card card--narrow">
        <ParleyMark />
        <h1 className="card__title">Parley can't reach its core</h1>
        <ErrorNotice
          announce={false}
          error={{
            code: 'UNAVAILABLE',
            message:
              'This page needs the Parley app or the Parley host to run. Start Parley with "npm start" (or "npm run host") and open the address it prints.',
          }}
        />
      </div>
    </main>
  );
}
