// The frame around every signed-in page: who is signed in (always visible), the places of the app,
// and sign out. A skip link leads keyboard users past the navigation.
import { Anchor, AppShell, Badge, Burger, Button, Group, NavLink, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type ReactNode, useEffect, useState } from 'react';
import { type LiveEvent, startNotificationStream } from '../api/notification-stream.js';
import { isPortalUser, useSession, useUser } from '../auth/session.js';
import { navigate, useLocation } from './router.js';

const ROLE_NAMES: Record<string, string> = {
  coordinator: 'Care coordinator',
  physician: 'Physician',
  pharmacist: 'Pharmacist',
  partner: 'Referral partner',
  nurse: 'Nurse',
  admin: 'Administrator',
  patient: 'Patient',
  caregiver: 'Caregiver',
  system: 'System',
};

export function roleName(role: string): string {
  return ROLE_NAMES[role] ?? role;
}

/** Which page a live notification belongs to (its count shows on that page's link). */
type Counted = 'task-assigned' | 'message';

const WORKSPACE_NAV: { to: string; label: string; counts?: Counted; roles?: readonly string[] }[] = [
  { to: '/today', label: 'Today', counts: 'task-assigned' },
  { to: '/patients', label: 'Patients' },
  { to: '/transitions', label: 'Transitions' },
  { to: '/messages', label: 'Messages', counts: 'message' },
  { to: '/measures', label: 'Measures' },
  // Held hospital messages: the coordinator decides whose they are (the server refuses the others).
  { to: '/feed-review', label: 'Feed review', roles: ['coordinator'] },
];
const PORTAL_NAV: { to: string; label: string; counts?: Counted }[] = [
  { to: '/portal', label: 'My record', counts: 'message' },
];
const ADMIN_NAV: { to: string; label: string; counts?: Counted }[] = [{ to: '/admin', label: 'Administration' }];
const PARTNER_NAV: { to: string; label: string; counts?: Counted }[] = [
  { to: '/referrals', label: 'Referrals', counts: 'task-assigned' },
];

/** New tasks and messages since the user last opened their page, from the live stream. */
function useLiveCounts(path: string): {
  counts: Record<Counted, number>;
  latest: string | undefined;
  connected: boolean;
} {
  const [connected, setConnected] = useState(false);
  const [counts, setCounts] = useState<Record<Counted, number>>({ 'task-assigned': 0, message: 0 });
  const [latest, setLatest] = useState<string | undefined>();
  useEffect(
    () =>
      startNotificationStream((e: LiveEvent) => {
        setCounts((c) => ({ ...c, [e.reason]: c[e.reason] + 1 }));
        setLatest(e.reason === 'message' ? 'New message' : 'A task was assigned to you');
      }, setConnected),
    [],
  );
  useEffect(() => {
    if (path === '/today' || path === '/referrals') setCounts((c) => ({ ...c, 'task-assigned': 0 }));
    if (path === '/messages' || path.startsWith('/portal')) setCounts((c) => ({ ...c, message: 0 }));
  }, [path]);
  return { counts, latest, connected };
}

export function AppFrame({ children }: { children: ReactNode }) {
  const user = useUser();
  const { logout } = useSession();
  const { path } = useLocation();
  const [opened, { toggle, close }] = useDisclosure();
  const nav = isPortalUser(user)
    ? PORTAL_NAV
    : user.role === 'admin'
      ? ADMIN_NAV
      : user.role === 'partner'
        ? PARTNER_NAV
        : WORKSPACE_NAV.filter((item) => !item.roles || item.roles.includes(user.role));
  const live = useLiveCounts(path);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 200, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Anchor href="#main" className="skip-link">
          Skip to main content
        </Anchor>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Open navigation" />
            <Text fw={700} size="lg" c="teal.9">
              Careloop
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Stack gap={0} align="flex-end" data-testid="signed-in-user">
              <Text size="sm" fw={600} lh={1.2}>
                {user.displayName}
              </Text>
              <Text size="xs" c="gray.7" lh={1.2}>
                {roleName(user.role)}
              </Text>
            </Stack>
            <Button variant="default" size="xs" onClick={() => void logout('You have signed out.')}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation" component="nav">
        {nav.map((item) => (
          <NavLink
            key={item.to}
            href={item.to}
            label={item.label}
            rightSection={
              item.counts && live.counts[item.counts] > 0 ? (
                <Badge size="sm" color="red.9" data-testid={`live-${item.counts}`}>
                  {live.counts[item.counts]} new
                </Badge>
              ) : undefined
            }
            variant="filled"
            active={path === item.to || path.startsWith(`${item.to}/`)}
            aria-current={path === item.to ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              close();
              navigate(item.to);
            }}
          />
        ))}
      </AppShell.Navbar>
      <span hidden data-live={live.connected ? 'connected' : 'waiting'} data-testid="live-stream" />
      <VisuallyHidden role="status" aria-live="polite">
        {live.latest ?? ''}
      </VisuallyHidden>
      <AppShell.Main id="main" tabIndex={-1}>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
