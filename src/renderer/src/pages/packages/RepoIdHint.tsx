import type { Provider } from '../../../../shared/types';

/** Where the numeric id is found: the provider's page or API, or not at all when a connection looks it up. */
export function RepoIdHint({ provider, repo, canConnect }: { provider: Provider; repo: string; canConnect: boolean }) {
  const shown = /^[^/\s]+\/[^/\s]+/.test(repo) ? repo : 'OWNER/NAME';
  const lookup = canConnect
    ? ' Or pick a connection under Hook and Hookbench looks it up.'
    : ' Or add a connection on the Tunnel page and Hookbench looks it up (and creates the hook) for you.';
  if (provider === 'github') {
    return (
      <span data-testid="repo-id-hint">
        The number GitHub knows the repository by: <code>id</code> in <code>https://api.github.com/repos/{shown}</code> (or <code>gh api repos/{shown} --jq .id</code>).
        {lookup}
      </span>
    );
  }
  return (
    <span data-testid="repo-id-hint">
      GitLab's Project ID: on the project's page, under its name (or Settings → General).{lookup}
    </span>
  );
}
