// A titled card for one part of a page; the heading level keeps the page outline in order.
import { Card, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function SectionCard({ title, children, level = 2 }: { title: string; children: ReactNode; level?: 2 | 3 }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-labelledby={id}>
      <Title order={level} size="h4" id={id} mb="xs">
        {title}
      </Title>
      {children}
    </Card>
  );
}
