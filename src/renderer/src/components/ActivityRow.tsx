import type { ActivityEntry } from '../../../shared/types';
import { isoTime } from '../../../shared/dates';
import { shortTime, when } from '../lib/format';
import { Badge, outcomeTone } from './bits';
import { shown } from '../lib/bytes';

interface Props {
  entry: ActivityEntry;
  packageName?: string;
  onOpenDelivery?(id: number): void;
}

/** One line of the feed: when, what kind, which package, what happened. */
export function ActivityRow({ entry: a, packageName, onOpenDelivery }: Props) {
  return (
    <li className={packageName === undefined ? 'no-pkg' : ''}>
      <time className="muted mono" dateTime={isoTime(a.at)} title={when(a.at)}>
        {shortTime(a.at)}
      </time>
      <span>
        <Badge tone={outcomeTone(a.kind)}>{a.kind.replace(/_/g, ' ')}</Badge>
      </span>
      {packageName !== undefined ? <strong className="feed-pkg ellipsis">{packageName}</strong> : null}
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
