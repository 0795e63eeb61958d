/**
 * Sigmagit payload samples. Issue, pull request and push follow its documented shapes;
 * commit, star and fork are undocumented, so those reuse the same building blocks.
 */

const repository = {
  id: '0b6f3e2a-7c41-4d8e-9a15-3e2f6c7d8b90',
  owner: 'tidewater',
  name: 'harbor-cli',
  url: 'https://sigmagit.example.com/tidewater/harbor-cli',
};

const author = { id: 'c2a9e7d1-4b3f-4e62-8d0a-5f1b7c3e9a24', username: 'ines', name: 'Inês Moura' };
const sender = { id: author.id, username: author.username };
const SHA = 'a41c7e9b2d08f3e65c1a7b94d2e0f8c3b6a5d197';

export function issue(action: 'opened' | 'closed' | 'reopened' | 'edited' | 'deleted') {
  return {
    action,
    repository,
    issue: {
      id: '6d2e8f41-0a3b-4c7d-b9e2-1f5a8c3d7e06',
      number: 57,
      title: 'harbor push hangs on files over 2 GB',
      body: 'Reproducible with `harbor push ./big.iso`; no progress after 2 GB.',
      state: action === 'closed' ? 'closed' : 'open',
      author,
      labels: [{ id: 'lbl_bug', name: 'bug', color: '#d73a4a' }],
      assignees: [{ id: author.id, username: author.username }],
      url: `${repository.url}/issues/57`,
      createdAt: '2026-03-01T17:42:09.000Z',
      updatedAt: '2026-03-02T08:03:51.000Z',
    },
    sender,
  };
}

export function pullRequest(action: 'opened' | 'closed' | 'merged' | 'reopened' | 'edited') {
  const state = action === 'merged' ? 'merged' : action === 'closed' ? 'closed' : 'open';
  return {
    action,
    repository,
    pullRequest: {
      id: '9e4b1c7a-3d2f-4a8e-b6c0-7f1d5e2a9c38',
      number: 58,
      title: 'Stream uploads in 64 MiB chunks',
      body: 'Fixes #57.',
      state,
      author,
      baseRepo: { id: repository.id, name: repository.name },
      headRepo: { id: repository.id, name: repository.name },
      baseBranch: 'main',
      headBranch: 'chunked-upload',
      url: `${repository.url}/pulls/58`,
      createdAt: '2026-03-02T07:30:00.000Z',
      updatedAt: '2026-03-02T08:10:12.000Z',
    },
    sender,
  };
}

const commitEntry = {
  oid: SHA,
  message: 'Stream uploads in 64 MiB chunks',
  author: { name: author.name, email: 'ines@example.net' },
  timestamp: 1772439012,
};

export function push() {
  return {
    repository,
    pusher: sender,
    ref: 'refs/heads/main',
    before: 'f0e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d',
    after: SHA,
    commits: [commitEntry],
    totalCommits: 1,
    sender,
  };
}

export function commit() {
  return { repository, ref: 'refs/heads/main', commit: { ...commitEntry, url: `${repository.url}/commit/${SHA}` }, sender };
}

export function star(action: 'added' | 'removed') {
  return { action, repository, starCount: action === 'added' ? 129 : 128, sender };
}

export function fork() {
  return {
    action: 'created',
    repository,
    fork: { id: '4c8a2e6f-1b3d-4f5a-9c7e-0d2b6f8a4e13', owner: 'ines', name: 'harbor-cli', url: 'https://sigmagit.example.com/ines/harbor-cli' },
    sender,
  };
}
