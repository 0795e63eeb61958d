// zustand as the prerendered first screen sees it (the serving process's build maps 'zustand'
// here; the window itself uses zustand unchanged). On a server React reads a store through its
// "server snapshot", which zustand takes from the state the store was created with; here it is
// the state now, which the first screen's data was just put in.
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand/react';

export * from 'zustand/vanilla';
export { useStore };

function createLive<T>(createState: StateCreator<T, [], []>) {
  const api: StoreApi<T> = createStore(createState);
  api.getInitialState = api.getState;
  const useBoundStore = <U>(selector?: (state: T) => U) => useStore(api, selector as (state: T) => U);
  return Object.assign(useBoundStore, api);
}

export function create<T>(createState?: StateCreator<T, [], []>) {
  return createState ? createLive(createState) : createLive;
}
