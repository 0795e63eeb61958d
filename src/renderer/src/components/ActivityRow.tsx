import type { ActivityEntry } from '../../../shared/types';
import { isoTime } from '../../../shared/dates';
import { shortTime, when } from '../lib/format';
import { Badge, outcomeTone } from './bits';
import { shown } from '../lib/bytes';

interface Props {
  entry: ActivityEntry;
  /** Shown in the feed: the package by name, and whether it has been removed since. */
  pkg?: { name: string; removed: boolean };
  onOpenDelivery?(id: number): void;
}

/** One line of the feed: when, what kind, which package, what happened. */
export function ActivityRow({ entry: a, pkg, onOpenDelivery }: Props) {
  return (
    <li className={pkg === undefined ? 'no-pkg' : ''}>
      <time className="muted mono" dateTime={isoTime(a.at)} title={when(a.at)}>
        {shortTime(a.at)}
      </time>
      <span>
        <Badge tone={outcomeTone(a.kind)}>{a.kind.replace(/_/g, ' ')}</Badge>
      </span>
      {pkg !== undefined ? (
        <span className="feed-pkg" title={pkg.removed ? `removed package ${pkg.name}` : pkg.name}>
          {pkg.removed ? <small className="muted">removed package </small> : null}
          <strong className="ellipsis">{pkg.name}</strong>
        </span>
      ) : null}
      <span className="feed-msg">{shown(a.message)}</span>
      {a.deliveryId !== null && onOpenDelivery ? (
        <button type="button" className="link" onClick={() => onOpenDelivery(a.deliveryId!)}>
          delivery #{a.deliveryId}
        </button>
      ) : (
        <span />
      )}
    </li>
  );
}
