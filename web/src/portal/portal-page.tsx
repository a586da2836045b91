// The portal: my record as I (or the caregiver I trust) see it — medications with doses, problems,
// visits and results, my care team and who to call, my preferences, and who has looked at my record.
// A caregiver switches between the people they care for and always sees whose record is open.

import { Alert, Grid, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import type { Patient } from '@medplum/fhirtypes';
import { useEffect, useState } from 'react';
import { entriesOf, FhirError, searchResources } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { useUser } from '../auth/session.js';
import { CarePlanCard } from '../careplan/care-plan-card.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { UploadDocumentCard } from '../documents/upload-document-card.js';
import { formatName } from '../format/fhir-text.js';
import { ScheduleCard } from '../medrec/schedule-card.js';
import { PatientMessagesCard } from '../messaging/patient-messages-card.js';
import { ReferralsCard } from '../referrals/referrals-card.js';
import { AppointmentsCard } from '../scheduling/appointments-card.js';
import { navigate } from '../shell/router.js';
import { ConnectedAppsCard } from '../smart/connected-apps-card.js';
import { AfterHospitalPlanCard } from '../transitions/after-hospital-plan-card.js';
import { CareTeamCard } from '../workspace/patient/care-team-card.js';
import { loadPatientSummary } from '../workspace/patient/load-patient-summary.js';
import { ObservationsCard } from '../workspace/patient/observations-card.js';
import { EncountersCard, MedicationsCard, ProblemsCard } from '../workspace/patient/record-lists.js';
import { RefusedRecord } from '../workspace/patient-page.js';
import { AccessLog } from './access-log.js';
import { FormsCard } from './forms-card.js';
import { PreferencesForm } from './preferences-form.js';

function PatientSwitcher({ current }: { current: string }) {
  const user = useUser();
  const ids = user.patients === 'all' ? [] : user.patients.map((r) => r.replace('Patient/', ''));
  const query = useQuery(['my-patients', ids.join(',')], async () =>
    ids.length ? entriesOf<Patient>(await searchResources('Patient', { _id: ids.join(',') }), 'Patient') : [],
  );
  if (query.status !== 'done' || query.data.length < 2) return null;
  return (
    <Select
      label="Whose record"
      data={query.data.map((p) => ({ value: p.id ?? '', label: formatName(p.name) }))}
      value={current}
      onChange={(v) => v && navigate(`/portal/${encodeURIComponent(v)}`)}
      allowDeselect={false}
      w={260}
    />
  );
}

export function PortalPage({ patientId }: { patientId: string | undefined }) {
  const user = useUser();
  if (!patientId)
    return (
      <Alert color="gray" title="No record linked">
        Your account is not linked to a patient record yet. Ask your care team to link it.
      </Alert>
    );
  return <PortalRecord key={patientId} patientId={patientId} caregiver={user.role === 'caregiver'} />;
}

function PortalRecord({ patientId, caregiver }: { patientId: string; caregiver: boolean }) {
  const query = useQuery(['patient-summary', patientId], () => loadPatientSummary(patientId));
  const [patient, setPatient] = useState<Patient | undefined>();
  useEffect(() => {
    if (query.status === 'done') setPatient(query.data.patient);
  }, [query]);
  if (query.status === 'error' && query.error instanceof FhirError && query.error.refused) return <RefusedRecord />;
  return (
    <QueryView query={query} label="your record">
      {(s) => {
        const record = patient ?? s.patient;
        const name = formatName(record.name);
        return (
          <Stack>
            <Paper withBorder p="sm" bg="teal.0" data-testid="open-record">
              <Group justify="space-between" align="flex-end">
                <div>
                  <Text size="sm">{caregiver ? 'You are viewing the record of' : 'Your record'}</Text>
                  <Title order={1} size="h2">
                    {name}
                  </Title>
                </div>
                {caregiver && <PatientSwitcher current={patientId} />}
              </Group>
            </Paper>
            <Grid>
              <Grid.Col span={{ base: 12, md: 7 }}>
                <Stack>
                  <FormsCard patientId={patientId} />
                  <AfterHospitalPlanCard patientId={patientId} />
                  <ScheduleCard patientId={patientId} />
                  <CarePlanCard patientId={patientId} portal />
                  <MedicationsCard medications={s.medications} selfReported={s.selfReported} />
                  <ProblemsCard conditions={s.conditions} />
                  <EncountersCard encounters={s.encounters} title="Visits and hospital stays" />
                  <ObservationsCard observations={s.observations} />
                </Stack>
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 5 }}>
                <Stack>
                  <PatientMessagesCard patientId={patientId} patientName={name} portal teams={s.careTeams} />
                  <AppointmentsCard patientId={patientId} portal />
                  <ReferralsCard patientId={patientId} portal />
                  <CareTeamCard teams={s.careTeams} members={s.members} />
                  <UploadDocumentCard patientId={patientId} />
                  {s.careTeams.length === 0 && <EmptyState>Call your clinic if you have questions.</EmptyState>}
                  <PreferencesForm patient={record} onSaved={setPatient} />
                  <ConnectedAppsCard />
                  <AccessLog patientId={patientId} />
                </Stack>
              </Grid.Col>
            </Grid>
          </Stack>
        );
      }}
    </QueryView>
  );
}
