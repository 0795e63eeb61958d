import { Empty } from '../../components/bits';
import { hasFilters } from '../../stores/delivery-filters';
import { useDeliveries } from '../../stores/deliveries-store';
import { useNav } from '../../stores/nav-store';
import { usePackages } from '../../stores/packages-store';

/** The empty list: why it is empty, and the next step. */
export function NoDeliveries() {
  const filters = useDeliveries((s) => s.filters);
  const clear = useDeliveries((s) => s.clearFilters);
  const hasPackages = usePackages((s) => s.packages.length > 0);
  const go = useNav((s) => s.go);
  if (hasFilters(filters)) {
    return (
      <Empty
        title="No deliveries match these filters"
        action={
          <button type="button" className="btn" onClick={clear}>
            Clear filters
          </button>
        }
      >
        Widen the time range or clear the search to see more.
      </Empty>
    );
  }
  return (
    <Empty
      title="No deliveries yet"
      action={
        hasPackages ? null : (
          <button type="button" className="btn btn-primary" onClick={() => go('packages')}>
            Add a package
          </button>
        )
      }
    >
      {hasPackages
        ? "Every request to a package's hook URL lands here, accepted or not, with the exact bytes received. Paste the hook URL and secret into the repository's webhook settings and push a tag, or send a test delivery from the provider."
        : 'Deliveries arrive at the hook URL of a package. Add a package first; Hookbench gives you the URL and secret to paste into the repository settings.'}
    </Empty>
  );
}
