/** GitLab payload samples (shapes from GitLab's webhook docs; values invented). */

const ZEROS = '0000000000000000000000000000000000000000';
const SHA = 'c4d1f0e2a9b87c6d5e4f3a2b1c0d9e8f7a6b5c4d';
const PARENT = '7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b';

const project = {
  id: 58112,
  name: 'billing-agent',
  description: 'Nightly invoice exporter',
  web_url: 'https://gitlab.example.com/finance/billing-agent',
  avatar_url: null,
  git_ssh_url: 'git@gitlab.example.com:finance/billing-agent.git',
  git_http_url: 'https://gitlab.example.com/finance/billing-agent.git',
  namespace: 'finance',
  visibility_level: 10,
  path_with_namespace: 'finance/billing-agent',
  default_branch: 'main',
  ci_config_path: null,
  homepage: 'https://gitlab.example.com/finance/billing-agent',
  url: 'git@gitlab.example.com:finance/billing-agent.git',
  ssh_url: 'git@gitlab.example.com:finance/billing-agent.git',
  http_url: 'https://gitlab.example.com/finance/billing-agent.git',
};

const repository = {
  name: 'billing-agent',
  url: 'git@gitlab.example.com:finance/billing-agent.git',
  description: 'Nightly invoice exporter',
  homepage: 'https://gitlab.example.com/finance/billing-agent',
  git_http_url: 'https://gitlab.example.com/finance/billing-agent.git',
  git_ssh_url: 'git@gitlab.example.com:finance/billing-agent.git',
  visibility_level: 10,
};

const commit = {
  id: SHA,
  message: 'Prepare 2.0.0\n',
  title: 'Prepare 2.0.0',
  timestamp: '2026-03-02T10:02:11+00:00',
  url: `https://gitlab.example.com/finance/billing-agent/-/commit/${SHA}`,
  author: { name: 'Jonas Berg', email: '[REDACTED]' },
  added: [],
  modified: ['VERSION'],
  removed: [],
};

function base() {
  return {
    user_id: 4211,
    user_name: 'Jonas Berg',
    user_username: 'jberg',
    user_email: '',
    user_avatar: 'https://gitlab.example.com/uploads/-/system/user/avatar/4211/avatar.png',
    project_id: project.id,
    project,
    repository,
  };
}

export function tagPush() {
  return {
    object_kind: 'tag_push',
    event_name: 'tag_push',
    before: ZEROS,
    after: SHA,
    ref: 'refs/tags/v2.0.0',
    ref_protected: true,
    checkout_sha: SHA,
    message: 'Version 2.0.0',
    ...base(),
    commits: [commit],
    total_commits_count: 1,
    push_options: {},
  };
}

export function push() {
  return {
    object_kind: 'push',
    event_name: 'push',
    before: PARENT,
    after: SHA,
    ref: 'refs/heads/main',
    ref_protected: true,
    checkout_sha: SHA,
    message: null,
    ...base(),
    commits: [commit],
    total_commits_count: 1,
    push_options: {},
  };
}
