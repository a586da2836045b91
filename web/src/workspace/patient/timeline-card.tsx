// The patient's care over time, newest first, twenty at a time.
import { Button, Text, Timeline } from '@mantine/core';
import { useState } from 'react';
import { EmptyState } from '../../components/query-view.js';
import { SectionCard } from '../../components/section-card.js';
import { formatDate } from '../../format/fhir-text.js';
import type { TimelineItem } from './build-timeline.js';

const PAGE = 20;

export function TimelineCard({ items }: { items: TimelineItem[] }) {
  const [shown, setShown] = useState(PAGE);
  return (
    <SectionCard title="Timeline">
      {items.length === 0 ? (
        <EmptyState>Nothing recorded yet.</EmptyState>
      ) : (
        <>
          <Timeline bulletSize={12} lineWidth={2}>
            {items.slice(0, shown).map((item) => (
              <Timeline.Item key={`${item.date}-${item.kind}-${item.text}`} title={item.text}>
                <Text size="xs" c="gray.7">
                  {formatDate(item.date)}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
          {items.length > shown && (
            <Button variant="subtle" size="xs" mt="xs" onClick={() => setShown((n) => n + PAGE)}>
              Show {Math.min(PAGE, items.length - shown)} more of {items.length - shown}
            </Button>
          )}
        </>
      )}
    </SectionCard>
  );
}
