// The administrator's home: users (add, new password, unlock, disable), which roles must use a
// second factor, and the SMART apps registered with Careloop. The same as `careloop user` and
// `careloop app` on the command line; every change is audited. Administrators do not see clinical
// records.
import { Stack, Title } from '@mantine/core';
import { AppsAdminCard } from './apps-admin-card.js';
import { MfaPolicyCard } from './mfa-policy-card.js';
import { UsersCard } from './users-card.js';

export function AdminPage() {
  return (
    <Stack>
      <Title order={1}>Administration</Title>
      <UsersCard />
      <MfaPolicyCard />
      <AppsAdminCard />
    </Stack>
  );
}
