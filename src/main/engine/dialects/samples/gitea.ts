/** Gitea payload samples (Gitea's GitHub-like shapes; values invented). */

const ZEROS = '0000000000000000000000000000000000000000';
const SHA = '5e8c2a41f0d9b7e3c6a1f4d2b8e0c9a7f3d5b1e6';

const user = {
  id: 3,
  login: 'kwan',
  login_name: '',
  full_name: 'Kim Wan',
  email: 'kwan@noreply.git.example.org',
  avatar_url: 'https://git.example.org/avatars/8b1a9953c4611296a827abf8c47804d7',
  username: 'kwan',
};

const repository = {
  id: 42,
  owner: { id: 7, login: 'platform', full_name: '', email: '', username: 'platform' },
  name: 'edge-proxy',
  full_name: 'platform/edge-proxy',
  description: 'TLS-terminating edge proxy',
  private: false,
  fork: false,
  html_url: 'https://git.example.org/platform/edge-proxy',
  ssh_url: 'git@git.example.org:platform/edge-proxy.git',
  clone_url: 'https://git.example.org/platform/edge-proxy.git',
  default_branch: 'main',
  created_at: '2025-11-04T12:00:00Z',
  updated_at: '2026-03-02T08:30:00Z',
};

const commit = {
  id: SHA,
  message: 'Bump version to 0.9.0\n',
  url: `https://git.example.org/platform/edge-proxy/commit/${SHA}`,
  author: { name: 'Kim Wan', email: 'kwan@example.org', username: 'kwan' },
  committer: { name: 'Kim Wan', email: 'kwan@example.org', username: 'kwan' },
  verification: null,
  timestamp: '2026-03-02T09:29:51+01:00',
  added: [],
  removed: [],
  modified: ['VERSION'],
};

export function pushTag() {
  return {
    ref: 'refs/tags/v0.9.0',
    before: ZEROS,
    after: SHA,
    compare_url: '',
    commits: [],
    total_commits: 0,
    head_commit: commit,
    repository,
    pusher: user,
    sender: user,
  };
}

export function create() {
  return { sha: SHA, ref: 'v0.9.0', ref_type: 'tag', repository, sender: user };
}

export function release() {
  return {
    action: 'published',
    release: {
      id: 17,
      tag_name: 'v0.9.0',
      target_commitish: 'main',
      name: 'v0.9.0',
      body: 'First beta of the new router.',
      url: 'https://git.example.org/api/v1/repos/platform/edge-proxy/releases/17',
      html_url: 'https://git.example.org/platform/edge-proxy/releases/tag/v0.9.0',
      tarball_url: 'https://git.example.org/platform/edge-proxy/archive/v0.9.0.tar.gz',
      zipball_url: 'https://git.example.org/platform/edge-proxy/archive/v0.9.0.zip',
      draft: false,
      prerelease: true,
      created_at: '2026-03-02T08:31:02Z',
      published_at: '2026-03-02T08:31:02Z',
      author: user,
      assets: [],
    },
    repository,
    sender: user,
  };
}
