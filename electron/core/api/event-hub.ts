/** Fans core events out to every connected transport (the Electron window, host pages). */
import type { ApiEvent, ParleyEvents } from '../../../shared/ipc';

export type EventListener = <E extends ApiEvent>(event: E, payload: ParleyEvents[E]) => void;

export class EventHub {
  readonly #listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit<E extends ApiEvent>(event: E, payload: ParleyEvents[E]): void {
    for (const listener of this.#listeners) listener(event, payload);
  }
}
