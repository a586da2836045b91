// What the authentication functions share: the store, the keys and the settings.
import type { Store } from '../../store/store.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { TokenSigner } from '../crypto/tokens.js';

export interface AuthSettings {
  /** Automatic logoff after this long without a request (ONC 170.315(d)(5)). */
  readonly idleMs: number;
  readonly accessTokenSeconds: number;
  /** A session ends this long after login, active or not. */
  readonly sessionMs: number;
  /** Tokens made by `careloop token` last this long. */
  readonly cliTokenSeconds: number;
  readonly lockoutAttempts: number;
  readonly lockoutMs: number;
  readonly breakGlassMs: number;
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  idleMs: 15 * 60_000,
  accessTokenSeconds: 5 * 60,
  sessionMs: 12 * 3_600_000,
  cliTokenSeconds: 3_600,
  lockoutAttempts: 5,
  lockoutMs: 15 * 60_000,
  breakGlassMs: 60 * 60_000,
};

export interface AuthContext {
  readonly store: Store;
  readonly signer: TokenSigner;
  readonly box: SecretBox;
  readonly settings: AuthSettings;
  readonly now: () => number;
}
