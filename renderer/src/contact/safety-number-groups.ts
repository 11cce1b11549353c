/** A safety number as people compare it aloud: 60 digits in 12 groups of five (Signal's layout). */
export function groupSafetyNumber(digits: string): readonly string[] {
  const clean = digits.replace(/\D/g, '');
  const groups: string[] = [];
  for (let i = 0; i < clean.length; i += 5) groups.push(clean.slice(i, i + 5));
  return groups;
}
