/** Find someone in the relay's directory by name or username and open a chat with them. */
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { DirectoryEntry } from '../../../shared/ipc';
import { useActions, useParley } from '../app/ParleyContext';
import { Avatar } from '../design/Avatar';
import { Dialog } from '../design/Dialog';
import { ErrorNotice } from '../design/ErrorNotice';
import { Icon } from '../design/Icon';
import { Skeleton } from '../design/Skeleton';
import { useDebouncedValue } from '../shell/useDebouncedValue';
import './newchat.css';

type Search =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'done'; query: string; people: readonly DirectoryEntry[] }
  | { status: 'failed'; error: ErrorInfo };

export function NewChatDialog() {
  const actions = useActions();
  const ownUserId = useParley((s) => s.app?.account?.userId ?? null);
  const [query, setQuery] = useState('');
  const settled = useDebouncedValue(query.trim(), 200);
  const [search, setSearch] = useState<Search>({ status: 'idle' });
  const [openError, setOpenError] = useState<ErrorInfo | null>(null);
  const [opening, setOpening] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const idPrefix = useId();

  useEffect(() => input.current?.focus(), []);

  useEffect(() => {
    if (settled === '') {
      setSearch({ status: 'idle' });
      return;
    }
    let current = true;
    setSearch({ status: 'loading' });
    actions.searchDirectory(settled).then((result) => {
      if (!current) return;
      setSearch(
        result.ok
          ? { status: 'done', query: settled, people: result.value.filter((p) => p.userId !== ownUserId) }
          : { status: 'failed', error: result.error },
      );
    });
    return () => {
      current = false;
    };
  }, [actions, settled, ownUserId]);

  async function open(person: DirectoryEntry) {
    if (opening) return;
    setOpening(person.userId);
    setOpenError(null);
    const result = await actions.startChat(person.userId);
    setOpening(null);
    if (!result.ok) setOpenError(result.error);
  }

  const buttons = () => [...(list.current?.querySelectorAll<HTMLElement>('button') ?? [])];
  const onInputKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      buttons()[0]?.focus();
      event.preventDefault();
    } else if (event.key === 'Enter' && search.status === 'done' && search.people[0]) {
      void open(search.people[0]);
      event.preventDefault();
    }
  };
  const onListKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const all = buttons();
    const index = all.indexOf(document.activeElement as HTMLElement);
    const next = event.key === 'ArrowDown' ? all[index + 1] : index <= 0 ? input.current : all[index - 1];
    next?.focus();
    event.preventDefault();
  };

  const pending = query.trim() !== settled || search.status === 'loading';

  return (
    <Dialog title="New chat" onClose={() => actions.showDialog('none')} className="new-chat">
      <div className="dialog__body">
        <div className="dialog-search">
          <Icon name="search" size={16} className="dialog-search__icon" />
          <input
            ref={input}
            type="search"
            className="dialog-search__input"
            aria-label="Search people"
            placeholder="Name or username"
            value={query}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={onInputKeyDown}
          />
        </div>

        {openError && <ErrorNotice error={openError} />}

        <div className="people" aria-live="polite" aria-busy={pending}>
          {query.trim() === '' && (
            <p className="people__hint">
              Type a name or a username to find people on your relay. Everything you send them is end-to-end
              encrypted.
            </p>
          )}
          {query.trim() !== '' && pending && (
            <div aria-hidden="true" className="people__skeleton">
              {[0, 1, 2].map((i) => (
                <div key={i} className="person person--skeleton">
                  <Skeleton width={36} height={36} round />
                  <div className="person__text">
                    <Skeleton width={`${40 + i * 15}%`} />
                    <Skeleton width="30%" height={10} />
                  </div>
                </div>
              ))}
            </div>
          )}
          {!pending && search.status === 'failed' && <ErrorNotice error={search.error} />}
          {!pending && search.status === 'done' && search.people.length === 0 && (
            <p className="people__hint">
              No one on this relay matches “{search.query}”. Check the spelling, or ask them for their exact
              username.
            </p>
          )}
          {!pending && search.status === 'done' && search.people.length > 0 && (
            <ul className="people__list" ref={list} onKeyDown={onListKeyDown} aria-label="People found">
              {search.people.map((person) => (
                <li key={person.userId} className="person">
                  <Avatar id={person.userId} name={person.displayName} size={36} />
                  <span className="person__text">
                    <button
                      type="button"
                      className="person__button"
                      aria-describedby={`${idPrefix}-${person.userId}`}
                      disabled={opening !== null}
                      onClick={() => void open(person)}
                    >
                      {person.displayName}
                    </button>
                    <span className="person__username" id={`${idPrefix}-${person.userId}`}>
                      @{person.username}
                    </span>
                  </span>
                  {opening === person.userId && <span className="person__opening">Opening…</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </Dialog>
  );
}
