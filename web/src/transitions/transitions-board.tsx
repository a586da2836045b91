// The transitions board: every transition episode as a card in its phase — in hospital (planning
// discharge), discharged with the TCM contact due, discharged with the follow-up due, closed — with
// LACE risk and the next date; overdue marked; flagged while a discharge has no follow-up booked (the
// open "book the follow-up" task the server raised at discharge). A card opens its episode.

import { Badge, Card, Grid, Stack, Text, Title } from '@mantine/core';
import type { Bundle, EpisodeOfCare, Parameters, Patient, Task } from '@medplum/fhirtypes';
import { entriesOf, getFhir, searchEvery } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { formatDate, formatName, todayIso } from '../format/fhir-text.js';
import { Link } from '../shell/router.js';
import { loadWorklist } from '../workspace/worklist-client.js';
import { COLUMN_TITLES, type Column, columnOf, type EpisodeCard, episodeCard, readTcm } from './transition-words.js';

export const BAND_COLORS: Record<string, string> = { high: 'red.9', moderate: '#a84300', low: 'gray.7' };

async function loadBoard() {
  const bundle: Bundle = await searchEvery('EpisodeOfCare', {
    type: 'http://careloop.org/fhir/CodeSystem/episode-type|transition',
    _include: 'EpisodeOfCare:patient',
  });
  const names = new Map(entriesOf<Patient>(bundle, 'Patient').map((p) => [p.id ?? '', formatName(p.name)]));
  const unbooked = await loadWorklist({
    panel: true,
    code: 'http://careloop.org/fhir/CodeSystem/task-type|book-follow-up',
  });
  const noFollowUp = new Set(entriesOf<Task>(unbooked, 'Task').map((t) => t.focus?.reference));
  const today = todayIso();
  const cards = await Promise.all(
    entriesOf<EpisodeOfCare>(bundle, 'EpisodeOfCare').map(async (e) => {
      const card = episodeCard(e);
      const contactDone =
        card.phase === 'post-discharge' && card.tcmEligible
          ? readTcm(await getFhir<Parameters>(`EpisodeOfCare/${card.id}/$tcm-status`)).contactMet
          : card.phase !== 'admitted';
      return { card, noFollowUp: noFollowUp.has(`EpisodeOfCare/${card.id}`), ...columnOf(card, contactDone, today) };
    }),
  );
  return { cards, names };
}

function CardView({
  card,
  overdue,
  noFollowUp,
  name,
}: {
  card: EpisodeCard;
  overdue: boolean;
  noFollowUp: boolean;
  name: string;
}) {
  const next =
    card.phase === 'admitted'
      ? `Admitted ${formatDate(card.admitted)}`
      : card.phase === 'closed'
        ? `Discharged ${formatDate(card.discharged)}`
        : `Discharged ${formatDate(card.discharged)}${card.disposition ? ` (${card.disposition})` : ''}`;
  return (
    <Card withBorder padding="xs" radius="sm" component="li">
      <Link to={`/transitions/${encodeURIComponent(card.id)}`} fw={700} size="sm">
        {name}
      </Link>
      <Text size="xs">{next}</Text>
      {card.band && (
        <Badge size="xs" variant="outline" color={BAND_COLORS[card.band] ?? 'gray.7'}>
          LACE {card.laceTotal} · {card.band} risk
        </Badge>
      )}
      {card.phase === 'post-discharge' && !card.tcmEligible && <Text size="xs">No TCM (not to the community)</Text>}
      {noFollowUp && (
        <Badge size="xs" color="red.9" variant="outline">
          No follow-up booked
        </Badge>
      )}
      {overdue && (
        <Text size="xs" fw={700} c="red.9">
          Overdue
        </Text>
      )}
    </Card>
  );
}

export function TransitionsBoard() {
  const query = useQuery(['transitions-board'], loadBoard);
  const columns: Column[] = ['admitted', 'contact-due', 'follow-up-due', 'closed'];
  return (
    <Stack>
      <Title order={1}>Transitions</Title>
      <QueryView query={query} label="transitions">
        {({ cards, names }) => (
          <Grid>
            {columns.map((c) => {
              const here = cards.filter((x) => x.column === c);
              return (
                <Grid.Col key={c} span={{ base: 12, sm: 6, lg: 3 }}>
                  <Stack gap="xs" component="section" aria-labelledby={`column-${c}`}>
                    <Title order={2} size="h5" id={`column-${c}`}>
                      {COLUMN_TITLES[c]} ({here.length})
                    </Title>
                    {here.length === 0 ? (
                      <EmptyState>None.</EmptyState>
                    ) : (
                      <Stack gap="xs" component="ul" aria-label={COLUMN_TITLES[c]} className="plain-list">
                        {here.map((x) => (
                          <CardView
                            key={x.card.id}
                            card={x.card}
                            overdue={x.overdue}
                            noFollowUp={x.noFollowUp}
                            name={names.get(x.card.patient) ?? 'Patient'}
                          />
                        ))}
                      </Stack>
                    )}
                  </Stack>
                </Grid.Col>
              );
            })}
          </Grid>
        )}
      </QueryView>
    </Stack>
  );
}
