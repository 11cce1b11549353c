import { avatarColour, initialsOf } from './avatar-look';

/** Initials on a colour of the person's own; decorative, the name is always beside it. */
export function Avatar({ id, name, size = 40 }: { id: string; name: string; size?: number }) {
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{ width: size, height: size, fontSize: Math.round(size * 0.4), background: avatarColour(id) }}
    >
      {initialsOf(name)}
    </span>
  );
}
