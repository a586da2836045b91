// One way to show a query's three states: a labelled loader, the error in words with a retry, or the
// content (with its own empty state when there is nothing).
import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { QueryState } from '../api/use-query.js';

export function QueryView<T>({
  query,
  label,
  children,
}: {
  query: QueryState<T> & { reload(): void };
  /** What is loading, for screen readers and the error message ("medications"). */
  label: string;
  children: (data: T) => ReactNode;
}) {
  if (query.status === 'loading')
    return (
      <Group gap="xs" role="status" aria-live="polite">
        <Loader size="sm" aria-hidden />
        <Text size="sm">Loading {label}…</Text>
      </Group>
    );
  if (query.status === 'error')
    return (
      <Alert color="red" title={`Could not load ${label}`} role="alert">
        <Text size="sm">{query.error.message}</Text>
        <Button size="xs" variant="light" mt="xs" onClick={query.reload}>
          Try again
        </Button>
      </Alert>
    );
  return <>{children(query.data)}</>;
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="gray.7" fs="italic">
      {children}
    </Text>
  );
}
