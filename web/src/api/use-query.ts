// Loads data for a screen: loading, loaded or failed, reloadable; a result that arrives after the
// screen moved on (the user opened another patient) is dropped.
import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';

export type QueryState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: Error }
  | { readonly status: 'done'; readonly data: T };

export function useQuery<T>(load: () => Promise<T>, deps: DependencyList): QueryState<T> & { reload(): void } {
  const [state, setState] = useState<QueryState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the loader depends on.
  const run = useCallback(load, deps);
  const lastRun = useRef(run);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new generation (reload) runs the loader again.
  useEffect(() => {
    let current = true;
    // A reload keeps what is shown until the fresh data arrives (a form below, such as the call
    // script with its result, stays put while the TCM clock above it updates); other data (another
    // patient) shows as loading, never the previous one's.
    const reloading = lastRun.current === run;
    lastRun.current = run;
    setState((s) => (reloading && s.status === 'done' ? s : { status: 'loading' }));
    run().then(
      (data) => current && setState({ status: 'done', data }),
      (error: unknown) =>
        current && setState({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      current = false;
    };
  }, [run, generation]);
  return { ...state, reload: () => setGeneration((g) => g + 1) };
}
