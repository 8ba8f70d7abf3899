// How the lab writes numbers and counts, the same in the CLI, the extension and the panel:
// "10,000" (grouped by hand: toLocaleString depends on the host's locale), "1 charge", "2 charges".

export function formatCount(n: number): string {
  const sign = n < 0 ? "-" : "";
  return sign + String(Math.trunc(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "1 charge", "2 charges", "10,000 requests"; `plural` for nouns that are not just noun + "s". */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}
