// My preferences: language, how to reach me, what matters most. Saved on my Patient record, where
// my whole care team sees them. A failed save keeps what I typed and says why.

import { Alert, Button, Group, Select, Stack, Textarea, TextInput } from '@mantine/core';
import type { Patient } from '@medplum/fhirtypes';
import { type FormEvent, useState } from 'react';
import { updateResource } from '../api/fhir-client.js';
import { useAction } from '../api/use-query.js';
import { SectionCard } from '../components/section-card.js';
import {
  applyPreferences,
  CONTACT_METHODS,
  LANGUAGES,
  type Preferences,
  readPreferences,
} from './patient-preferences.js';

export function PreferencesForm({ patient, onSaved }: { patient: Patient; onSaved: (p: Patient) => void }) {
  const [prefs, setPrefs] = useState<Preferences>(() => readPreferences(patient));
  const [saved, setSaved] = useState(false);
  const action = useAction(() => updateResource(applyPreferences(patient, prefs)), {
    onSuccess: (p) => {
      onSaved(p);
      setSaved(true);
    },
  });
  const saving = action.busy;
  const status = action.error
    ? { kind: 'error' as const, message: action.error }
    : saved && !saving
      ? { kind: 'saved' as const }
      : undefined;
  const save = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    action.run();
  };

  return (
    <SectionCard title="My preferences">
      <form onSubmit={save} aria-label="My preferences">
        <Stack gap="sm">
          <Select
            label="Preferred language"
            data={[...LANGUAGES]}
            value={prefs.language || null}
            onChange={(v) => setPrefs({ ...prefs, language: v ?? '' })}
            clearable
            searchable
            allowDeselect
          />
          <Select
            label="How should your care team contact you?"
            data={[...CONTACT_METHODS]}
            value={prefs.contactMethod || null}
            onChange={(v) => setPrefs({ ...prefs, contactMethod: v ?? '' })}
            clearable
          />
          <TextInput
            label="Best times to reach you"
            placeholder="For example: weekday mornings, not after 6 pm"
            maxLength={200}
            value={prefs.contactTimes}
            onChange={(e) => setPrefs({ ...prefs, contactTimes: e.currentTarget.value })}
          />
          <Textarea
            label="What matters most to you"
            description="Your goals and what you want your care team to know"
            autosize
            minRows={2}
            maxLength={1000}
            value={prefs.whatMattersMost}
            onChange={(e) => setPrefs({ ...prefs, whatMattersMost: e.currentTarget.value })}
          />
          {status?.kind === 'saved' && (
            <Alert color="teal" role="status">
              Your preferences are saved. Your care team sees them now.
            </Alert>
          )}
          {status?.kind === 'error' && (
            <Alert color="red" role="alert" title="Not saved">
              {status.message} Your changes are still here; try again.
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={saving}>
              Save preferences
            </Button>
          </Group>
        </Stack>
      </form>
    </SectionCard>
  );
}
