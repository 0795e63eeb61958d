import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/main/engine/db/open';
import { createEngine } from '../../src/main/engine';
import { deliveries, fixtures } from '../../src/main/engine/db/schema';
import { moveWorkspace } from '../../src/main/engine/move/move-workspace';
import { HIDDEN } from '../../src/shared/secret-headers';
import type {
  ActivityEntry,
  AttemptView,
  CapturedView,
  DeliveryDetail,
  Diagnosis,
  EndpointSecret,
  EndpointSummary,
  FixtureDetail,
  ReplayPreview,
  ReplayView,
  RevealedHeader,
} from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { addPackage, post, startEngine } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type EngineKind, type Site, type SiteEngine } from '../helpers/engine-sites';
import { githubHeaders, gitlabHeaders, gitlabTagPush } from '../helpers/payloads';
import { startSink } from '../helpers/sink';

const PROJECT_ID = 15;

const TEAM_KEY = randomBytes(32);
const startSite = engineSites(TEAM_KEY);

async function gitlabDelivery(kind: EngineKind) {
  const site = await startSite(kind);
  const { engine, receiverUrl } = site;
  const pkg = await addPackage(engine, 'gitlab', PROJECT_ID, 'jsmith/example');
  const url = `${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`;
  const res = await post(url, JSON.stringify(gitlabTagPush(PROJECT_ID, 'v1.0.0')), gitlabHeaders('Tag Push Hook', pkg.secret));
  expect(res.status).toBe(202);
  const id = res.json.delivery as number;
  const call = <T>(method: string, params: unknown) => engine.invoke(method, params) as Promise<T>;
  return { site, engine, pkg, url, id, call };
}

const tokenOf = (headers: [string, string][]) => headers.find(([k]) => k.toLowerCase() === 'x-gitlab-token')?.[1];

/** A data dir's database file and its write-ahead log, as bytes on disk. */
const rawFiles = (dataDir: string) =>
  [DATABASE_FILE, `${DATABASE_FILE}-wal`]
    .map((f) => join(dataDir, f))
    .filter(existsSync)
    .map((f) => readFileSync(f));

/** Everything the store holds, as bytes: a data dir's files, or every row of every table of a team's database (bytes as hex). */
async function stored(site: Site): Promise<Buffer[]> {
  if ('dataDir' in site.place) return rawFiles(site.place.dataDir);
  const tables = await site.sql<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
  const rows = await Promise.all(tables.map(({ name }) => site.sql<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM "${name}" t`)));
  return [
    Buffer.from(
      rows
        .flat()
        .map((r) => r.row)
        .join('\n'),
    ),
  ];
}

/**
 * What this version makes of an older version's data dir, and the bytes of its store after: the
 * data dir opened (its clear credentials sealed in the background, the file checkpointed), or
 * the workspace moved to a team server's database (hookbench migrate) and an instance started on it.
 */
async function newerStoreOf(kind: EngineKind, dir: string): Promise<{ engine: SiteEngine; bytes: Buffer[] }> {
  if (kind === 'sqlite') {
    const { engine } = await startEngine({ dataDir: dir });
    await engine.storedHeadersSealed();
    engine.db.$client.pragma('wal_checkpoint(TRUNCATE)');
    return { engine, bytes: rawFiles(dir) };
  }
  const empty = await startSite(kind);
  await empty.close();
  const { databaseUrl } = empty.place as { databaseUrl: string };
  await moveWorkspace({ from: dir, to: databaseUrl, replace: false, env: { HOOKBENCH_SECRET_KEY: TEAM_KEY.toString('base64') } });
  const site = await startSite(kind, { at: { databaseUrl } });
  return { engine: site.engine, bytes: await stored(site) };
}

/** Whether these bytes hold the value, as text or as the hex of its bytes. */
const holds = (bytes: Buffer, value: string) => bytes.includes(value) || bytes.includes(Buffer.from(value).toString('hex'));

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('secrets in stored requests', () => {
    it('never writes a GitLab token (or the signing token derived from it) to the database (a data dir\u2019s file and its WAL)', async () => {
      const t = await gitlabDelivery(kind);
      await t.engine.ingest.idle();
      const files = await stored(t.site);
      expect(files.length).toBe(kind === 'sqlite' ? 2 : 1);
      // What was read holds the stored request: its body is there.
      expect(files.some((bytes) => holds(bytes, 'refs/tags/v1.0.0'))).toBe(true);
      for (const bytes of files) {
        expect(holds(bytes, t.pkg.secret)).toBe(false);
        expect(holds(bytes, t.pkg.signingToken)).toBe(false);
      }
    });

    it('shows the token hidden in every view of the stored request', async () => {
      const t = await gitlabDelivery(kind);
      const detail = await t.call<DeliveryDetail>('deliveries.get', { id: t.id });
      expect(tokenOf(detail.headers)).toBe(HIDDEN);
      expect(detail.headers.find(([k]) => k === 'x-gitlab-event')?.[1]).toBe('Tag Push Hook');
      const captured = await t.call<CapturedView>('captured.get', { ref: String(t.id) });
      expect(tokenOf(captured.headers)).toBe(HIDDEN);
      const diagnosis = await t.call<Diagnosis>('deliveries.diagnose', { id: t.id });
      expect(diagnosis.verdict).toBe('valid');
      const sink = await startSink();
      const preview = await t.call<ReplayPreview>('replay.preview', { ref: String(t.id), to: sink.url, mode: 'exact' });
      expect(tokenOf(preview.headers)).toBe(HIDDEN);
      const fixture = await t.call<FixtureDetail>('fixtures.save', { ref: String(t.id), name: 'tag' });
      expect(tokenOf(fixture.headers)).toBe(HIDDEN);
      // Pasted into the debugger as shown, the hidden token is refused rather than called the wrong secret.
      await expect(t.call('signature.diagnose', { headers: detail.headers, bodyBase64: detail.bodyBase64, secrets: [t.pkg.secret] })).rejects.toThrow(
        /x-gitlab-token reads "\(hidden\)".*Use Diagnose on the delivery itself/,
      );
      const everything = JSON.stringify([detail, captured, diagnosis, preview, fixture, await t.call('fixtures.get', { id: fixture.id })]);
      expect(everything).not.toContain(t.pkg.secret);
      expect(everything).not.toContain(t.pkg.signingToken);
    });

    it('reveals a hidden header on request and writes who revealed what to the activity feed', async () => {
      const t = await gitlabDelivery(kind);
      const revealed = await t.call<RevealedHeader>('captured.reveal', { ref: String(t.id), header: 'X-Gitlab-Token', via: 'ui' });
      expect(revealed).toEqual({ ref: `delivery:${t.id}`, header: 'x-gitlab-token', values: [t.pkg.secret] });
      const [entry] = await t.call<ActivityEntry[]>('activity.list', { limit: 1 });
      expect(entry).toMatchObject({ kind: 'secret_revealed', deliveryId: t.id, packageId: t.pkg.id });
      expect(entry!.message).toBe(`Secret header x-gitlab-token of delivery #${t.id} revealed in the app.`);
      await expect(t.call('captured.reveal', { ref: String(t.id), header: 'Authorization' })).rejects.toThrow(/has no Authorization header/);
    });

    it('replays exactly with the original token bytes, and records the replay hidden', async () => {
      const t = await gitlabDelivery(kind);
      const sink = await startSink(() => ({ status: 204 }));
      const replay = await t.call<ReplayView>('replay.run', { ref: String(t.id), to: sink.url, mode: 'exact' });
      expect(sink.received[0]!.header('x-gitlab-token')).toBe(t.pkg.secret);
      expect(tokenOf(replay.requestHeaders)).toBe(HIDDEN);
      // An edited replay that leaves the hidden value as shown still sends the captured one.
      const edited = await t.call<ReplayView>('replay.run', {
        ref: String(t.id),
        to: sink.url,
        mode: 'edit',
        headers: [
          ['X-Gitlab-Token', HIDDEN],
          ['X-Extra', '1'],
        ],
      });
      expect(edited.status).toBe(204);
      expect(sink.received[1]!.header('x-gitlab-token')).toBe(t.pkg.secret);
      expect(JSON.stringify(await t.call('replay.list', { limit: 10 }))).not.toContain(t.pkg.secret);
      for (const bytes of await stored(t.site)) expect(holds(bytes, t.pkg.secret)).toBe(false);
    });

    it('relays a GitLab delivery in original mode without the package token', async () => {
      const { engine, receiverUrl } = await startSite(kind);
      const pkg = await addPackage(engine, 'gitlab', PROJECT_ID, 'jsmith/example');
      const sink = await startSink();
      await engine.invoke('endpoints.add', { name: 'relay', url: sink.url, dialect: 'gitlab', events: ['inbound.relay'], relay: { packageId: pkg.id, mode: 'original' } });
      const body = JSON.stringify(gitlabTagPush(PROJECT_ID, 'v1.0.0'));
      await post(`${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`, body, gitlabHeaders('Tag Push Hook', pkg.secret));
      await sink.waitFor(1);
      const relayed = sink.received[0]!;
      expect(relayed.body.toString()).toBe(body);
      expect(relayed.header('x-gitlab-event')).toBe('Tag Push Hook');
      expect(relayed.header('x-gitlab-token')).toBeUndefined();
      expect(JSON.stringify(relayed.headers)).not.toContain(pkg.secret);
    });

    it('seals and hides the token a GitLab-dialect endpoint is sent, in its attempt log', async () => {
      const site = await startSite(kind);
      const { engine } = site;
      const sink = await startSink();
      const ep = (await engine.invoke('endpoints.add', { name: 'gl', url: sink.url, dialect: 'gitlab', events: ['release.published'] })) as EndpointSecret;
      await engine.invoke('endpoints.trigger', { id: ep.id, event: 'release.published' });
      await sink.waitFor(1);
      await engine.dispatcher.settle();
      expect(sink.received[0]!.header('x-gitlab-token')).toBe(ep.secret);
      const [attempt] = (await engine.invoke('endpoints.attempts', { id: ep.id, limit: 10 })) as AttemptView[];
      expect(tokenOf(attempt!.requestHeaders)).toBe(HIDDEN);
      for (const bytes of await stored(site)) expect(holds(bytes, ep.secret)).toBe(false);
    });

    it('seals a header carrying the package secret whatever it is called', async () => {
      const site = await startSite(kind);
      const { engine, receiverUrl } = site;
      const pkg = await addPackage(engine, 'github', 42);
      const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
      const headers = { ...(await githubHeaders('ping', body, pkg.secret)), 'x-copied-by-a-proxy': pkg.secret };
      const res = await post(`${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`, body, headers);
      const detail = (await engine.invoke('deliveries.get', { id: res.json.delivery as number })) as DeliveryDetail;
      expect(detail.headers.find(([k]) => k === 'x-copied-by-a-proxy')?.[1]).toBe(HIDDEN);
      expect(detail.headers.find(([k]) => k === 'x-github-event')?.[1]).toBe('ping');
      for (const bytes of await stored(site)) expect(holds(bytes, pkg.secret)).toBe(false);
    });

    it('hides credentials of rows stored in clear before sealing existed', async () => {
      const t = await gitlabDelivery(kind);
      const headers = [
        ['X-Gitlab-Token', 'old-clear-token'],
        ['Authorization', 'Bearer abcdef'],
        ['Cookie', 'session=xyz123'],
        ['X-Gitlab-Event', 'Push Hook'],
      ];
      // As an older version left it (or a workspace moved from one).
      const [inserted] = await t.site.sql<{ id: number | string }>(
        "INSERT INTO deliveries (hook_id, received_at, source, headers, body, body_size, verdict, status_code, outcome) VALUES ('old', 1, 'direct', $1, $2, 2, 'unchecked', 202, 'ignored') RETURNING id",
        [JSON.stringify(headers), Buffer.from('{}')],
      );
      const row = { id: Number(inserted!.id) };
      const detail = await t.call<DeliveryDetail>('deliveries.get', { id: row.id });
      expect(detail.headers).toEqual([
        ['X-Gitlab-Token', HIDDEN],
        ['Authorization', HIDDEN],
        ['Cookie', HIDDEN],
        ['X-Gitlab-Event', 'Push Hook'],
      ]);
      // With no hook left to check it against, the diagnosis names the token it found: hidden.
      const diagnosis = await t.call<Diagnosis>('deliveries.diagnose', { id: row.id });
      expect(diagnosis.received).toBe(`${'old-clear-token'.length} characters (not shown)`);
      expect(JSON.stringify(diagnosis)).not.toContain('old-clear-token');
      const revealed = await t.call<RevealedHeader>('captured.reveal', { ref: String(row.id), header: 'authorization' });
      expect(revealed.values).toEqual(['Bearer abcdef']);
    });
  });

  describe('imported requests', () => {
    it('seal the credentials a HAR file carries', async () => {
      const site = await startSite(kind);
      const { engine } = site;
      const auth = 'Bearer har-imported-credential-42';
      const har = {
        log: {
          version: '1.2',
          creator: { name: 'test', version: '1' },
          entries: [
            {
              startedDateTime: new Date(1_700_000_000_000).toISOString(),
              request: {
                method: 'POST',
                url: 'https://example.com/hook',
                headers: [
                  { name: 'Authorization', value: auth },
                  { name: 'Content-Type', value: 'application/json' },
                ],
                postData: { mimeType: 'application/json', text: '{}' },
              },
              response: { status: 200 },
            },
          ],
        },
      };
      await engine.invoke('import.upload', { name: 'in.har', contentBase64: Buffer.from(JSON.stringify(har)).toString('base64') });
      const [summary] = (await engine.invoke('deliveries.list', { limit: 1 })) as DeliveryDetail[];
      const detail = (await engine.invoke('deliveries.get', { id: summary!.id })) as DeliveryDetail;
      expect(detail.headers).toEqual([
        ['Authorization', HIDDEN],
        ['Content-Type', 'application/json'],
      ]);
      for (const bytes of await stored(site)) expect(holds(bytes, auth)).toBe(false);
    });
  });

  describe('endpoint URLs with credentials', () => {
    it('are shown masked in the endpoint and its attempts, sent in full, and kept when a masked URL is saved back', async () => {
      const { engine } = await startSite(kind);
      const sink = await startSink();
      const full = `${sink.url.replace('://', '://relay:s3cr3t-pass@')}/in?token=tok-123456&team=a`;
      const ep = (await engine.invoke('endpoints.add', { name: 'creds', url: full, dialect: 'privato', events: ['release.published'] })) as EndpointSecret;
      const shown = (await engine.invoke('endpoints.get', { id: ep.id })) as EndpointSummary;
      expect(shown.url).toBe(`${sink.url.replace('://', `://relay:${HIDDEN}@`)}/in?token=${HIDDEN}&team=a`);
      expect(JSON.stringify(await engine.invoke('endpoints.list', {}))).not.toMatch(/s3cr3t-pass|tok-123456/);

      // A masked URL copied into a new endpoint is refused: it would send "(hidden)" as the password.
      await expect(engine.invoke('endpoints.add', { name: 'copy', url: shown.url, dialect: 'privato', events: ['release.published'] })).rejects.toThrow(/copied from a view that hides credentials/);
      const saved = (await engine.invoke('endpoints.update', { id: ep.id, url: shown.url, name: 'renamed' })) as EndpointSummary;
      expect(saved.url).toBe(shown.url);
      await engine.invoke('endpoints.trigger', { id: ep.id, event: 'release.published' });
      await sink.waitFor(1);
      await engine.dispatcher.settle();
      expect(sink.received[0]!.path).toBe('/in?token=tok-123456&team=a');
      expect(sink.received[0]!.header('authorization')).toBe(`Basic ${Buffer.from('relay:s3cr3t-pass').toString('base64')}`);
      const [attempt] = (await engine.invoke('endpoints.attempts', { id: ep.id, limit: 1 })) as AttemptView[];
      expect(attempt!.url).toBe(shown.url);
      // Replaying the attempt to the URL as shown sends it where it went.
      const replay = (await engine.invoke('replay.run', { ref: `attempt:${attempt!.id}`, to: attempt!.url, mode: 'exact' })) as ReplayView;
      expect(replay.targetUrl).toBe(shown.url);
      expect(sink.received[1]!.path).toBe('/in?token=tok-123456&team=a');
    });
  });

  describe('credentials stored in clear by an older version', () => {
    it('are sealed, and their clear text is gone from the store: in the background on its data dir, or as it moves to a team server', async () => {
      const dir = tempDataDir();
      const token = 'old-clear-token-0123456789';
      const older = createEngine({ dataDir: dir });
      const headers = JSON.stringify([
        ['X-Gitlab-Token', token],
        ['X-Gitlab-Event', 'Push Hook'],
      ]);
      const row = older.db
        .insert(deliveries)
        .values({ hookId: 'old', receivedAt: 1, source: 'direct', headers, body: Buffer.from('{}'), bodySize: 2, verdict: 'unchecked', statusCode: 202, outcome: 'ignored' })
        .returning()
        .get();
      older.db
        .insert(fixtures)
        .values({ name: 'old', origin: `delivery:${row.id}`, headers, body: Buffer.from('{}'), createdAt: 1 })
        .run();
      await older.close();
      expect(readFileSync(join(dir, DATABASE_FILE)).includes(token)).toBe(true);

      const { engine, bytes } = await newerStoreOf(kind, dir);
      for (const part of bytes) expect(holds(part, token)).toBe(false);
      const revealed = (await engine.invoke('captured.reveal', { ref: `fixture:1`, header: 'x-gitlab-token' })) as RevealedHeader;
      expect(revealed.values).toEqual([token]);
    });
  });
});

// A data dir's files and their modes.
describe('data dir permissions', () => {
  it('creates the data dir 0700 and the database, WAL, shared memory and key files 0600', async () => {
    const t = await gitlabDelivery('sqlite');
    const mode = (name: string) => statSync(join((t.site.place as { dataDir: string }).dataDir, name)).mode & 0o777;
    expect(mode('.')).toBe(0o700);
    for (const file of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, 'secret.key']) expect([file, mode(file)]).toEqual([file, 0o600]);
  });

  it('tightens a data dir and files left readable by others', async () => {
    const dir = tempDataDir();
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, DATABASE_FILE), '', { mode: 0o644 });
    chmodSync(join(dir, DATABASE_FILE), 0o644);
    const { engine } = await startEngine({ dataDir: dir });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(engine.dataDir, DATABASE_FILE)).mode & 0o777).toBe(0o600);
  });
});
