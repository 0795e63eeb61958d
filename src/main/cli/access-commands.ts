import { ROLES, type Role } from '../../shared/access-types';
import type { Command } from './context';
import { integer, positional, required } from './option-values';
import { table, time } from './output';
import { forgetToken, saveToken, serverKey } from './profiles';
import { remoteCall } from './remote';
import { UsageError } from './usage';

function role(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}.`);
  return value as Role;
}

export const tokenCommands: Record<string, Command> = {
  async create(ctx) {
    const created = await ctx.call('tokens.create', { name: required(ctx, 'name'), role: role(required(ctx, 'role')) });
    ctx.out.data(created, () =>
      [
        `Token "${created.name}" (${created.role}) created. It is shown only this once; only its hash is kept:`,
        '',
        `  ${created.token}`,
        '',
        'Use it as "Authorization: Bearer <token>", with HOOKBENCH_TOKEN=<token> hookbench --server URL …, or save it with hookbench login.',
      ].join('\n'),
    );
  },
  async list(ctx) {
    const tokens = await ctx.call('tokens.list', {});
    ctx.out.data(tokens, () => table(tokens.map((t) => ({ ...t, createdAt: time(t.createdAt), lastUsedAt: time(t.lastUsedAt) })), ['name', 'role', 'createdAt', 'createdBy', 'lastUsedAt']));
  },
  async revoke(ctx) {
    const name = positional(ctx, 'token name');
    await ctx.call('tokens.revoke', { name });
    ctx.out.data({ revoked: name }, () => `Token "${name}" revoked: it opens nothing from now on.`);
  },
};

export const auditCommand: Command = async (ctx) => {
  const entries = await ctx.call('audit.list', { limit: integer(ctx, 'limit', 1, 10_000) ?? 50 });
  ctx.out.data(entries, () =>
    table(
      entries.map((e) => ({ ...e, at: time(e.at), who: e.role ? `${e.actor} (${e.role})` : e.actor, from: e.remoteAddress })),
      ['id', 'at', 'who', 'method', 'target', 'outcome', 'from'],
    ),
  );
};

/** Checks the token against the server before saving it, so a typo is found now and not on first use. */
export const loginCommand: Command = async (ctx) => {
  const url = serverKey(required(ctx, 'server'));
  const token = required(ctx, 'token');
  await remoteCall({ url, token })('server.info', {});
  const path = saveToken(url, token);
  ctx.out.data({ server: url, saved: path }, () => `Logged in to ${url}; the token is saved in ${path} (readable by you only).`);
};

export const logoutCommand: Command = async (ctx) => {
  const url = serverKey(required(ctx, 'server'));
  const forgotten = forgetToken(url);
  ctx.out.data({ server: url, forgotten }, () => (forgotten ? `Forgot the token saved for ${url}.` : `No token was saved for ${url}.`));
};
