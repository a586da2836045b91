// The frame around every signed-in page: who is signed in (always visible), the places of the app,
// and sign out. A skip link leads keyboard users past the navigation.
import { Anchor, AppShell, Burger, Button, Group, NavLink, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { isPortalUser, useSession, useUser } from '../auth/session.js';
import { navigate, useLocation } from './router.js';

const ROLE_NAMES: Record<string, string> = {
  coordinator: 'Care coordinator',
  physician: 'Physician',
  pharmacist: 'Pharmacist',
  nurse: 'Nurse',
  admin: 'Administrator',
  patient: 'Patient',
  caregiver: 'Caregiver',
  system: 'System',
};

export function roleName(role: string): string {
  return ROLE_NAMES[role] ?? role;
}

const WORKSPACE_NAV = [
  { to: '/today', label: 'Today' },
  { to: '/patients', label: 'Patients' },
  { to: '/messages', label: 'Messages' },
];
const PORTAL_NAV = [{ to: '/portal', label: 'My record' }];
const ADMIN_NAV = [{ to: '/admin', label: 'Administration' }];

export function AppFrame({ children }: { children: ReactNode }) {
  const user = useUser();
  const { logout } = useSession();
  const { path } = useLocation();
  const [opened, { toggle, close }] = useDisclosure();
  const nav = isPortalUser(user) ? PORTAL_NAV : user.role === 'admin' ? ADMIN_NAV : WORKSPACE_NAV;

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
      <AppShell.Main id="main" tabIndex={-1}>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
