/** GitHub payload samples (shapes from GitHub's webhook docs; values invented). */

const ZEROS = '0000000000000000000000000000000000000000';
const SHA = '9f3c1e0b7a52d4c86e1f0a9b3d2c5e7f8a1b4c6d';
const PARENT = '2b7e151628aed2a6abf7158809cf4f3c762e7160';

const owner = {
  login: 'acme-tools',
  id: 71203344,
  node_id: 'O_kgDOBD5xEA',
  avatar_url: 'https://avatars.githubusercontent.com/u/71203344?v=4',
  html_url: 'https://github.com/acme-tools',
  type: 'Organization',
  site_admin: false,
};

const sender = {
  login: 'mrivera',
  id: 5521873,
  node_id: 'MDQ6VXNlcjU1MjE4NzM=',
  avatar_url: 'https://avatars.githubusercontent.com/u/5521873?v=4',
  html_url: 'https://github.com/mrivera',
  type: 'User',
  site_admin: false,
};

/** `pushDates`: push payloads carry epoch integers, other events ISO strings. */
function repository(pushDates: boolean) {
  return {
    id: 824466120,
    node_id: 'R_kgDOMSTsyA',
    name: 'widget-sdk',
    full_name: 'acme-tools/widget-sdk',
    private: true,
    owner: pushDates ? { name: owner.login, email: null, ...owner } : owner,
    html_url: 'https://github.com/acme-tools/widget-sdk',
    description: 'Client SDK for the Widget API',
    fork: false,
    url: pushDates ? 'https://github.com/acme-tools/widget-sdk' : 'https://api.github.com/repos/acme-tools/widget-sdk',
    clone_url: 'https://github.com/acme-tools/widget-sdk.git',
    ssh_url: 'git@github.com:acme-tools/widget-sdk.git',
    created_at: pushDates ? 1719830400 : '2024-07-01T10:40:00Z',
    updated_at: '2026-03-02T08:15:11Z',
    pushed_at: pushDates ? 1772439311 : '2026-03-02T08:15:11Z',
    default_branch: 'main',
    visibility: 'private',
  };
}

function commit() {
  return {
    id: SHA,
    tree_id: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4',
    distinct: true,
    message: 'Release 1.4.2',
    timestamp: '2026-03-02T09:14:58+01:00',
    url: `https://github.com/acme-tools/widget-sdk/commit/${SHA}`,
    author: { name: 'Maria Rivera', email: 'maria@acme.example', username: 'mrivera' },
    committer: { name: 'Maria Rivera', email: 'maria@acme.example', username: 'mrivera' },
    added: [],
    removed: [],
    modified: ['CHANGELOG.md', 'package.json'],
  };
}

export function ping() {
  return {
    zen: 'Design for failure.',
    hook_id: 493027711,
    hook: {
      type: 'Repository',
      id: 493027711,
      name: 'web',
      active: true,
      events: ['push', 'create', 'release'],
      config: { content_type: 'json', insecure_ssl: '0', url: 'https://hooks.example.test/hooks/hk_demo' },
      updated_at: '2026-03-02T08:00:00Z',
      created_at: '2026-03-02T08:00:00Z',
      url: 'https://api.github.com/repos/acme-tools/widget-sdk/hooks/493027711',
      test_url: 'https://api.github.com/repos/acme-tools/widget-sdk/hooks/493027711/test',
      ping_url: 'https://api.github.com/repos/acme-tools/widget-sdk/hooks/493027711/pings',
      deliveries_url: 'https://api.github.com/repos/acme-tools/widget-sdk/hooks/493027711/deliveries',
      last_response: { code: null, status: 'unused', message: null },
    },
    repository: repository(false),
    sender,
  };
}

export function pushTag() {
  return {
    ref: 'refs/tags/v1.4.2',
    before: ZEROS,
    after: SHA,
    repository: repository(true),
    pusher: { name: 'mrivera', email: 'maria@acme.example' },
    sender,
    created: true,
    deleted: false,
    forced: false,
    base_ref: 'refs/heads/main',
    compare: 'https://github.com/acme-tools/widget-sdk/compare/v1.4.2',
    commits: [],
    head_commit: commit(),
  };
}

export function pushBranch() {
  return {
    ...pushTag(),
    ref: 'refs/heads/main',
    before: PARENT,
    base_ref: null,
    created: false,
    compare: `https://github.com/acme-tools/widget-sdk/compare/${PARENT.slice(0, 12)}...${SHA.slice(0, 12)}`,
    commits: [commit()],
  };
}

export function release() {
  return {
    action: 'published',
    release: {
      id: 201554093,
      node_id: 'RE_kwDOMSTsyM4MA2Kt',
      tag_name: 'v1.4.2',
      target_commitish: 'main',
      name: 'v1.4.2',
      draft: false,
      prerelease: false,
      created_at: '2026-03-02T08:14:58Z',
      published_at: '2026-03-02T08:16:40Z',
      body: '### Fixed\n- Retries no longer double-count timeouts.',
      html_url: 'https://github.com/acme-tools/widget-sdk/releases/tag/v1.4.2',
      tarball_url: 'https://api.github.com/repos/acme-tools/widget-sdk/tarball/v1.4.2',
      zipball_url: 'https://api.github.com/repos/acme-tools/widget-sdk/zipball/v1.4.2',
      author: sender,
      assets: [],
    },
    repository: repository(false),
    sender,
  };
}

export function create() {
  return {
    ref: 'v1.4.2',
    ref_type: 'tag',
    master_branch: 'main',
    description: 'Client SDK for the Widget API',
    pusher_type: 'user',
    repository: repository(false),
    sender,
  };
}
