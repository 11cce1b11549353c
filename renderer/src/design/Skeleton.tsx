/** A grey placeholder in the shape of what is loading (UI.md: skeletons, never a lone spinner). */
export function Skeleton({
  width,
  height = 12,
  round = false,
}: {
  width: number | string;
  height?: number;
  round?: boolean;
}) {
  return <span className={round ? 'skeleton skeleton--round' : 'skeleton'} style={{ width, height }} />;
}
