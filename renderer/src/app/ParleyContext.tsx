/** Hands the store built in main.tsx to every screen, so components never reach for a global. */
import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { ParleyState } from '../state/parley-state';
import type { ParleyActions, ParleyStore } from '../state/parley-store';

const ParleyContext = createContext<ParleyStore | null>(null);

export function ParleyProvider({ value, children }: { value: ParleyStore; children: ReactNode }) {
  return <ParleyContext.Provider value={value}>{children}</ParleyContext.Provider>;
}

function useParleyStore(): ParleyStore {
  const value = useContext(ParleyContext);
  if (!value) throw new Error('ParleyProvider is missing above this component.');
  return value;
}

/** Subscribes to one slice of the state; return a primitive or a stored object, never a new one. */
export function useParley<T>(selector: (state: ParleyState) => T): T {
  return useStore(useParleyStore().store, selector);
}

export function useActions(): ParleyActions {
  return useParleyStore().actions;
}
