/**
 * Who is using the app, from the operating system: the login's full name where the system
 * keeps one (GECOS on Linux, $USERNAME's display name is not readable without a native call
 * on Windows, so the login name there), and an email from $EMAIL when set, else one made of
 * the login and "localhost" that the user can edit in the follow-up settings.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { AppUser } from './services/followup/waiting';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

function fullName(login: string): string | null {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${login}:`));
    const gecos = line?.split(':')[4]?.split(',')[0]?.trim();
    return gecos ? gecos : null;
  } catch {
    return null;
  }
}

export function osUser(env: NodeJS.ProcessEnv = process.env): AppUser {
  let login = 'me';
  try {
    login = userInfo().username || login;
  } catch {
    // No user database entry (some containers): keep the generic name.
  }
  const name = fullName(login) ?? login.charAt(0).toUpperCase() + login.slice(1);
  const email = env.EMAIL && EMAIL.test(env.EMAIL) ? env.EMAIL : `${login.toLowerCase()}@localhost`;
  return { name, email };
}
