import type { DeliveryDeletion } from '../../../shared/types';

/** What deleting did or would do, in the words the CLI uses. */
export function deletionText(d: DeliveryDeletion): string {
  const verb = d.dryRun ? 'Would delete' : 'Deleted';
  const parts = [`${verb} ${d.deleted.toLocaleString()} of ${d.matched.toLocaleString()} ${d.matched === 1 ? 'delivery' : 'deliveries'}.`];
  if (d.keptCount) {
    parts.push(
      `${d.dryRun ? 'Would keep' : 'Kept'} ${d.keptCount.toLocaleString()} that a release or fixture links to` +
        (d.keptForRelease.length ? ` (release: #${d.keptForRelease.slice(0, 5).join(', #')})` : '') +
        (d.keptForFixture.length ? ` (fixture: #${d.keptForFixture.slice(0, 5).join(', #')})` : '') +
        '.',
    );
  }
  if (d.linkedDeleted) parts.push(`${d.linkedDeleted.toLocaleString()} were linked: releases keep their data without the link; fixtures keep their own copy.`);
  return parts.join(' ');
}
