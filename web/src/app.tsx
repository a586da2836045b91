// The app: sign-in while signed out; once signed in, the workspace for care team members and the
// portal for patients and caregivers, each at its own paths.
import { Center, Loader } from '@mantine/core';
import { useEffect } from 'react';
import { AdminPage } from './admin/admin-page.js';
import { DataProvider } from './api/use-query.js';
import { AssessPage } from './assessment/assess-page.js';
import { IdleGuard } from './auth/idle-guard.js';
import { LoginPage } from './auth/login-page.js';
import { isPortalUser, type SignedInUser, useSession } from './auth/session.js';
import { DocumentPage } from './documents/document-page.js';
import { FeedReviewPage } from './feeds/feed-review-page.js';
import { MedrecPage } from './medrec/medrec-page.js';
import { PortalPage } from './portal/portal-page.js';
import { PartnerPage } from './referrals/partner-page.js';
import { AppFrame } from './shell/app-frame.js';
import { matchPage, PAGE_PATHS } from './shell/page-paths.js';
import { navigate, useLocation } from './shell/router.js';
import { ConsentPage } from './smart/consent-page.js';
import { EpisodePage } from './transitions/episode-page.js';
import { MeasuresPage } from './transitions/measures-page.js';
import { TransitionsBoard } from './transitions/transitions-board.js';
import { MessagesPage } from './workspace/messages-page.js';
import { PanelPage } from './workspace/panel-page.js';
import { PatientPage } from './workspace/patient-page.js';
import { TodayPage } from './workspace/today-page.js';

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function PartnerRoutes({ path }: { path: string }) {
  return matchPage('referrals', path) ? <PartnerPage /> : <Redirect to={PAGE_PATHS.referrals} />;
}

function AdminRoutes({ path }: { path: string }) {
  return matchPage('admin', path) ? <AdminPage /> : <Redirect to={PAGE_PATHS.admin} />;
}

/** An assessment, at its workspace or its portal address. */
function assessOf(path: string): { patient: string; slug: string } | undefined {
  const at = matchPage('assess', path) ?? matchPage('portalAssess', path);
  if (!at || !/^[a-z0-9-]+$/.test(at.instrument ?? '')) return undefined;
  return { patient: at.id ?? at.patient ?? '', slug: at.instrument ?? '' };
}

/** A record, at its workspace or its portal address. */
const recordOf = (path: string) => matchPage('patient', path)?.id ?? matchPage('portalRecord', path)?.patient;

function WorkspaceRoutes({ path }: { path: string }) {
  const assess = assessOf(path);
  if (assess) return <AssessPage patientId={assess.patient} slug={assess.slug} portal={false} />;
  const episode = matchPage('episode', path)?.id;
  if (episode) return <EpisodePage id={episode} />;
  const document = matchPage('document', path);
  if (document?.id && document.doc) return <DocumentPage patientId={document.id} id={document.doc} />;
  const medrec = matchPage('medrec', path)?.id;
  if (medrec) return <MedrecPage patientId={medrec} />;
  const patient = recordOf(path);
  if (patient) return <PatientPage id={patient} />;
  if (matchPage('today', path)) return <TodayPage />;
  if (matchPage('panel', path)) return <PanelPage />;
  if (matchPage('messages', path)) return <MessagesPage />;
  if (matchPage('transitions', path)) return <TransitionsBoard />;
  if (matchPage('measures', path)) return <MeasuresPage />;
  if (matchPage('feedReview', path)) return <FeedReviewPage />;
  return <Redirect to={PAGE_PATHS.today} />;
}

function PortalRoutes({ path, user }: { path: string; user: SignedInUser }) {
  // A patient who types a workspace address of a record lands on the same record in the portal,
  // where the server decides whether they may see it.
  const assess = assessOf(path);
  if (assess) return <AssessPage patientId={assess.patient} slug={assess.slug} portal />;
  const patient = recordOf(path);
  if (patient) return <PortalPage patientId={patient} />;
  const first = (user.patient ?? (user.patients === 'all' ? undefined : user.patients[0]))?.replace(/^Patient\//, '');
  if (matchPage('portal', path)) return <PortalPage patientId={first} />;
  return <Redirect to={PAGE_PATHS.portal} />;
}

export function App() {
  const { state } = useSession();
  const { path } = useLocation();
  useEffect(() => {
    if (state.status === 'signed-in' && path === '/login') navigate('/', { replace: true });
  }, [state.status, path]);

  if (state.status === 'loading')
    return (
      <Center h="100vh" role="status" aria-label="Loading Careloop">
        <Loader />
      </Center>
    );
  if (state.status === 'signed-out') return <LoginPage notice={state.notice} />;
  const user = state.user;
  // A SMART app's consent step, for whoever signed in (patient, caregiver or staff).
  const consent = matchPage('smartConsent', path)?.uid;
  return (
    // A fresh data cache for each signed-in person: nothing loaded for one is shown to the next.
    <DataProvider key={`${user.kind}:${user.name}`}>
      <AppFrame>
        <IdleGuard />
        {consent ? (
          <ConsentPage uid={consent} />
        ) : isPortalUser(user) ? (
          <PortalRoutes path={path} user={user} />
        ) : user.role === 'admin' ? (
          <AdminRoutes path={path} />
        ) : user.role === 'partner' ? (
          <PartnerRoutes path={path} />
        ) : (
          <WorkspaceRoutes path={path} />
        )}
      </AppFrame>
    </DataProvider>
  );
}
