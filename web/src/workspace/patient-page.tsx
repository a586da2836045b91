// The patient page: the care summary on one screen, for everyone on the care team.

import { Alert, Grid, Stack } from '@mantine/core';
import { FhirError } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { AssessmentsCard } from '../assessment/assessments-card.js';
import { CarePlanCard } from '../careplan/care-plan-card.js';
import { QueryView } from '../components/query-view.js';
import { AcceptDocumentButton } from '../documents/accept-document-button.js';
import { formatName } from '../format/fhir-text.js';
import { PatientMessagesCard } from '../messaging/patient-messages-card.js';
import { ReferralsCard } from '../referrals/referrals-card.js';
import { AppointmentsCard } from '../scheduling/appointments-card.js';
import { Link } from '../shell/router.js';
import { AppsCard } from '../smart/apps-card.js';
import { buildTimeline } from './patient/build-timeline.js';
import { CareTeamCard } from './patient/care-team-card.js';
import { CareTeamEditor } from './patient/care-team-editor.js';
import { loadPatientSummary } from './patient/load-patient-summary.js';
import { ObservationsCard } from './patient/observations-card.js';
import { PatientHeader } from './patient/patient-header.js';
import {
  AllergiesCard,
  DocumentsCard,
  EncountersCard,
  MedicationsCard,
  OpenTasksCard,
  ProblemsCard,
} from './patient/record-lists.js';
import { TimelineCard } from './patient/timeline-card.js';

export function RefusedRecord({ hint }: { hint?: string }) {
  return (
    <Alert color="red" title="You do not have access to this record" role="alert">
      This record is not one you may open.{hint ? ` ${hint}` : ''}
    </Alert>
  );
}

export function PatientPage({ id }: { id: string }) {
  const query = useQuery(['patient-summary', id], () => loadPatientSummary(id));
  if (query.status === 'error' && query.error instanceof FhirError && query.error.refused)
    return <RefusedRecord hint="If you need it to treat this patient, ask to be added to the patient's care team." />;
  return (
    <QueryView query={query} label="the patient's record">
      {(s) => (
        <Stack gap="md">
          <Link to="/patients" size="sm">
            ← All patients
          </Link>
          <PatientHeader patient={s.patient} />
          <Grid>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Stack>
                <CareTeamCard
                  teams={s.careTeams}
                  members={s.members}
                  editor={
                    s.careTeams[0] ? <CareTeamEditor team={s.careTeams[0]} onChanged={query.reload} /> : undefined
                  }
                />
                <ProblemsCard conditions={s.conditions} />
                <AllergiesCard allergies={s.allergies} />
                <OpenTasksCard tasks={s.tasks} />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 8 }}>
              <Stack>
                <CarePlanCard patientId={id} portal={false} />
                <AssessmentsCard patientId={id} />
                <ReferralsCard patientId={id} portal={false} />
                <AppointmentsCard patientId={id} portal={false} />
                <AppsCard patientId={id} />
                <PatientMessagesCard
                  patientId={id}
                  patientName={formatName(s.patient.name)}
                  portal={false}
                  teams={s.careTeams}
                />
                <MedicationsCard
                  medications={s.medications}
                  selfReported={s.selfReported}
                  action={
                    <Link to={`/patients/${encodeURIComponent(id)}/medrec`} size="sm">
                      Reconcile medications
                    </Link>
                  }
                />
                <ObservationsCard observations={s.observations} />
                <EncountersCard encounters={s.encounters} />
                <DocumentsCard
                  documents={s.documents}
                  patientId={id}
                  accept={(d) => <AcceptDocumentButton document={d} onAccepted={query.reload} />}
                />
                <TimelineCard items={buildTimeline(s)} />
              </Stack>
            </Grid.Col>
          </Grid>
        </Stack>
      )}
    </QueryView>
  );
}
