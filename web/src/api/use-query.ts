// Loads data for a screen: loading, loaded or failed, reloadable; a result that arrives after the
// screen moved on (the user opened another patient) is dropped.
import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';

export type QueryState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: Error }
  | { readonly status: 'done'; readonly data: T };

export function useQuery<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  options: {
    /**
     * A reload keeps what is shown until the fresh data arrives, instead of showing it as loading.
     * Only for screens whose parts all take their data from this query: a part with a query of its
     * own refreshes by being mounted again, which a kept screen does not do.
     */
    readonly keepWhileReloading?: boolean;
  } = {},
): QueryState<T> & { reload(): void } {
  const [state, setState] = useState<QueryState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the loader depends on.
  const run = useCallback(load, deps);
  const lastRun = useRef(run);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new generation (reload) runs the loader again.
  useEffect(() => {
    let current = true;
    // Other data (another patient) always shows as loading, never the previous one's.
    const reloading = lastRun.current === run;
    lastRun.current = run;
    setState((s) => (options.keepWhileReloading && reloading && s.status === 'done' ? s : { status: 'loading' }));
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
