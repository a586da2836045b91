// The app: sign-in while signed out; once signed in, the workspace for care team members and the
// portal for patients and caregivers, each at its own paths.
import { Center, Loader } from '@mantine/core';
import { useEffect } from 'react';
import { AdminPage } from './admin/admin-page.js';
import { AssessPage } from './assessment/assess-page.js';
import { IdleGuard } from './auth/idle-guard.js';
import { LoginPage } from './auth/login-page.js';
import { isPortalUser, type SignedInUser, useSession } from './auth/session.js';
import { MedrecPage } from './medrec/medrec-page.js';
import { PortalPage } from './portal/portal-page.js';
import { PartnerPage } from './referrals/partner-page.js';
import { AppFrame } from './shell/app-frame.js';
import { navigate, useLocation } from './shell/router.js';
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
  return path === '/referrals' ? <PartnerPage /> : <Redirect to="/referrals" />;
}

function AdminRoutes({ path }: { path: string }) {
  return path === '/admin' ? <AdminPage /> : <Redirect to="/admin" />;
}

const ASSESS = /^\/(?:patients|portal)\/([^/]+)\/assess\/([a-z0-9-]+)$/;

function WorkspaceRoutes({ path }: { path: string }) {
  const assess = ASSESS.exec(path);
  if (assess)
    return <AssessPage patientId={decodeURIComponent(assess[1] ?? '')} slug={assess[2] ?? ''} portal={false} />;
  const episode = /^\/transitions\/([^/]+)$/.exec(path)?.[1];
  if (episode) return <EpisodePage id={decodeURIComponent(episode)} />;
  const medrec = /^\/patients\/([^/]+)\/medrec$/.exec(path)?.[1];
  if (medrec) return <MedrecPage patientId={decodeURIComponent(medrec)} />;
  const patient = /^\/(?:patients|portal)\/([^/]+)$/.exec(path)?.[1];
  if (patient) return <PatientPage id={decodeURIComponent(patient)} />;
  switch (path) {
    case '/today':
      return <TodayPage />;
    case '/patients':
      return <PanelPage />;
    case '/messages':
      return <MessagesPage />;
    case '/transitions':
      return <TransitionsBoard />;
    case '/measures':
      return <MeasuresPage />;
    default:
      return <Redirect to="/today" />;
  }
}

function PortalRoutes({ path, user }: { path: string; user: SignedInUser }) {
  // A patient who types a workspace address of a record lands on the same record in the portal,
  // where the server decides whether they may see it.
  const assess = ASSESS.exec(path);
  if (assess) return <AssessPage patientId={decodeURIComponent(assess[1] ?? '')} slug={assess[2] ?? ''} portal />;
  const patient = /^\/(?:patients|portal)\/([^/]+)$/.exec(path)?.[1];
  if (patient) return <PortalPage patientId={decodeURIComponent(patient)} />;
  const first = (user.patient ?? (user.patients === 'all' ? undefined : user.patients[0]))?.replace(/^Patient\//, '');
  if (path === '/portal' && first) return <PortalPage patientId={first} />;
  if (path === '/portal') return <PortalPage patientId={undefined} />;
  return <Redirect to="/portal" />;
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
  return (
    <AppFrame>
      <IdleGuard />
      {isPortalUser(user) ? (
        <PortalRoutes path={path} user={user} />
      ) : user.role === 'admin' ? (
        <AdminRoutes path={path} />
      ) : user.role === 'partner' ? (
        <PartnerRoutes path={path} />
      ) : (
        <WorkspaceRoutes path={path} />
      )}
    </AppFrame>
  );
}
