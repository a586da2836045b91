// Loading and changing data, on TanStack Query (the one place the app imports it): each screen names
// what it loads by a key (['medications', patientId]) and shows loading, loaded or failed; a result
// for another key never shows under this one (another patient is loading, not the previous one's).
// After a change, `reload()` fetches what this screen shows again and marks every other query stale,
// so each card of the screen refreshes its own data: one write can change what several cards show
// (a task completed leaves the worklist, the patient summary and the episode board).
import {
  hashKey,
  QueryClient,
  QueryClientProvider,
  type QueryKey,
  useMutation,
  useQueryClient,
  useQuery as useTanstackQuery,
} from '@tanstack/react-query';
import { createElement, type ReactNode, useState } from 'react';

export type QueryState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: Error }
  | { readonly status: 'done'; readonly data: T };

/**
 * The data cache of one signed-in session; a new session starts with an empty one, so nothing one
 * user loaded is shown to the next. Failures are shown at once with "Try again" (no silent retries
 * that keep a clinician waiting), and data is fetched when a screen opens, not when the window
 * regains focus (live changes arrive by the notification stream).
 */
export function DataProvider({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry: false, refetchOnWindowFocus: false, staleTime: 0, gcTime: 5 * 60_000 },
          mutations: { retry: false },
        },
      }),
  );
  return createElement(QueryClientProvider, { client }, children);
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

export function useQuery<T>(
  key: QueryKey,
  load: () => Promise<T>,
  options: {
    /**
     * A reload keeps what is shown until the fresh data arrives, instead of showing it as loading
     * (a page whose parts all take their data from this query; others show loading again, so their
     * parts are mounted afresh and load their own data).
     */
    readonly keepWhileReloading?: boolean;
  } = {},
): QueryState<T> & { reload(): void } {
  const client = useQueryClient();
  // Boxed: TanStack Query refuses `undefined` as data, and "nothing yet" is a real answer here (no
  // reconciliation started, no hospital stay).
  const query = useTanstackQuery({ queryKey: key, queryFn: async () => ({ value: await load() }) });
  const reload = () => {
    const own = hashKey(key);
    void client.invalidateQueries({ predicate: (q) => q.queryHash !== own });
    if (options.keepWhileReloading) void query.refetch();
    else void client.resetQueries({ queryKey: key, exact: true });
  };
  if (query.isPending) return { status: 'loading', reload };
  if (query.isError) return { status: 'error', error: asError(query.error), reload };
  return { status: 'done', data: query.data.value, reload };
}

/** A change the user makes: running, its failure in words, and what follows its success. */
export function useAction<A extends unknown[], R>(
  act: (...args: A) => Promise<R>,
  options: { onSuccess?: (result: R) => void } = {},
): { run(...args: A): void; busy: boolean; error: string | undefined; clearError(): void } {
  const mutation = useMutation({
    mutationFn: (args: A) => act(...args),
    ...(options.onSuccess ? { onSuccess: options.onSuccess } : {}),
  });
  return {
    run: (...args: A) => mutation.mutate(args),
    busy: mutation.isPending,
    error: mutation.error ? asError(mutation.error).message : undefined,
    clearError: () => mutation.reset(),
  };
}
