// Loads data for a screen: loading, loaded or failed, reloadable; a result that arrives after the
// screen moved on (the user opened another patient) is dropped.
import { type DependencyList, useCallback, useEffect, useState } from 'react';

export type QueryState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: Error }
  | { readonly status: 'done'; readonly data: T };

export function useQuery<T>(load: () => Promise<T>, deps: DependencyList): QueryState<T> & { reload(): void } {
  const [state, setState] = useState<QueryState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the loader depends on.
  const run = useCallback(load, deps);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new generation (reload) runs the loader again.
  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
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
