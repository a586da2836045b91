// Automatic logoff (HIPAA 45 CFR 164.312(a)(2)(iii)): after the server's idle time without activity
// the app signs out; shortly before, it warns and offers to stay signed in. While the user is
// active, the app keeps the server's session alive with a light request now and then, because
// reading a page makes no requests of its own.
import { Button, Group, Modal, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { fetchMe } from '../api/auth-client.js';
import { currentToken } from '../api/token-store.js';
import { useSession, useUser } from './session.js';

/** A light authenticated request: the server counts it as activity on the session. */
function keepSessionAlive(): void {
  void currentToken().then((t) => (t ? fetchMe(t) : undefined));
}

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'mousemove'] as const;

/** Seconds of warning before signing out: a minute, or a third of a short idle time. */
export function warningSeconds(idleSeconds: number): number {
  return Math.min(60, Math.floor(idleSeconds / 3));
}

export function IdleGuard() {
  const { logout } = useSession();
  const user = useUser();
  const idle = user.idleSeconds;
  const lastActivity = useRef(Date.now());
  const lastKeepAlive = useRef(Date.now());
  const [remaining, setRemaining] = useState(idle);

  useEffect(() => {
    const keepAliveEvery = Math.min(60, idle / 3) * 1000;
    const onActivity = () => {
      const now = Date.now();
      lastActivity.current = now;
      if (now - lastKeepAlive.current > keepAliveEvery) {
        lastKeepAlive.current = now;
        keepSessionAlive();
      }
    };
    for (const e of ACTIVITY) window.addEventListener(e, onActivity, { passive: true });
    const timer = window.setInterval(() => {
      const left = Math.ceil(idle - (Date.now() - lastActivity.current) / 1000);
      setRemaining(left);
      if (left <= 0) {
        void logout(`You were signed out after ${formatIdle(idle)} without activity.`);
      }
    }, 1000);
    return () => {
      for (const e of ACTIVITY) window.removeEventListener(e, onActivity);
      window.clearInterval(timer);
    };
  }, [idle, logout]);

  const warning = remaining > 0 && remaining <= warningSeconds(idle);
  return (
    <Modal
      opened={warning}
      onClose={() => {
        lastActivity.current = Date.now();
      }}
      title="Are you still there?"
      centered
      withCloseButton={false}
    >
      <Text role="alert">
        For your patients' privacy you will be signed out in {remaining} second{remaining === 1 ? '' : 's'}.
      </Text>
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={() => void logout()}>
          Sign out now
        </Button>
        <Button
          data-autofocus
          onClick={() => {
            lastActivity.current = Date.now();
            lastKeepAlive.current = Date.now();
            setRemaining(idle);
            keepSessionAlive();
          }}
        >
          Stay signed in
        </Button>
      </Group>
    </Modal>
  );
}

function formatIdle(seconds: number): string {
  return seconds >= 60 ? `${Math.round(seconds / 60)} minutes` : `${seconds} seconds`;
}
