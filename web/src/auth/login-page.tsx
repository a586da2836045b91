// Sign-in: user name and password, then the six-digit code for users who enrolled in two-step
// sign-in. Errors are said in words; what was typed stays.
import { Alert, Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useSession } from './session.js';

export function LoginPage({ notice }: { notice?: string | undefined }) {
  const { login } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = await login(username.trim(), password, needsCode ? code.trim() : undefined);
      if (!result.ok) {
        if (result.mfaRequired && !needsCode) setNeedsCode(true);
        else setError(result.message);
      }
    } catch {
      setError('Careloop could not be reached. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Container size={420} py={64} component="main" id="main">
      <Title order={1} ta="center">
        Careloop
      </Title>
      <Text ta="center" c="gray.7" mb="lg">
        Care coordination: sign in to continue
      </Text>
      <Paper withBorder shadow="sm" p="lg" radius="md">
        <form onSubmit={(e) => void submit(e)} aria-label="Sign in">
          <Stack>
            {notice && (
              <Alert color="blue" role="status">
                {notice}
              </Alert>
            )}
            {error && (
              <Alert color="red" role="alert" title="Not signed in">
                {error}
              </Alert>
            )}
            <TextInput
              label="User name"
              autoComplete="username"
              required
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
              readOnly={needsCode}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              readOnly={needsCode}
            />
            {needsCode && (
              <TextInput
                label="Six-digit code from your authenticator app"
                autoComplete="one-time-code"
                inputMode="numeric"
                pattern="[0-9]{6}"
                required
                autoFocus
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
              />
            )}
            <Button type="submit" loading={busy} fullWidth>
              {needsCode ? 'Verify and sign in' : 'Sign in'}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Container>
  );
}
