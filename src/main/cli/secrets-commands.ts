import type { SecretsReset } from '../../shared/types';
import { keyLabel } from '../engine/secrets/reset-steps';
import type { Command, CommandEngine } from './context';

// Reset on a team's database itself, its public address is not known: the path goes after it.
const address = (url: string) => (url.startsWith('/') ? `${url}  (after the team's public address)` : url);

function describe(reset: SecretsReset): string {
  if (!reset.hooks.length && !reset.endpoints.length && !reset.inboxes.length && !reset.previousDropped && !reset.removedConnections.length) {
    return `Every secret opens with ${keyLabel(reset.keyFile)}; nothing was reset.`;
  }
  return [
    `Secrets reset (${keyLabel(reset.keyFile)}). Each new secret is shown only this once.`,
    ...reset.hooks.flatMap((h) => [
      '',
      `Package ${h.name} (${h.packageId})`,
      `  Hook URL:       ${address(h.hookUrl)}`,
      `  Secret:         ${h.secret}`,
      `  Signing token:  ${h.signingToken}  (GitLab's optional signing token)`,
      h.managedUpstream ? `  Next: hookbench package rotate ${h.packageId}   (gives the upstream hook the new secret)` : "  Next: paste the secret into the repository's webhook settings.",
    ]),
    ...reset.endpoints.flatMap((e) => ['', `Endpoint ${e.name} (${e.id})`, `  Secret:         ${e.secret}`, '  Next: give the service this secret to verify with.']),
    ...reset.inboxes.flatMap((i) => ['', `Inbox ${i.name} (${i.id})`, `  URL:            ${address(i.url)}`, `  Secret:         ${i.secret}`, '  Next: give the sender this secret to sign with.']),
    ...(reset.previousDropped ? ['', `${reset.previousDropped} rotation(s) ended early: the secret being replaced could not be opened.`] : []),
    ...reset.removedConnections.map(
      (c) =>
        `\nConnection ${c.id} removed: its token could not be opened. Add it again with "hookbench connection add"` +
        (c.detachedPackages.length ? `; packages ${c.detachedPackages.join(', ')} keep their hooks, unmanaged until then.` : '.'),
    ),
  ].join('\n');
}

export const secretsCommands = (engine: CommandEngine): Record<string, Command> => ({
  async reset(ctx) {
    const reset = await ctx.call('secrets.reset', {});
    ctx.out.data(reset, () => describe(reset));
  },
  async 'rotate-key'(ctx) {
    const rotated = await engine.rotateKey((done, total) => {
      if (!ctx.out.json) process.stderr.write(`re-sealed ${done} of ${total} stored value(s)…\n`);
    });
    ctx.out.data(rotated, () =>
      [
        `Every secret is now sealed with the new key (${rotated.key}); ${rotated.resealed} value(s) re-sealed.`,
        ...(rotated.previousKey
          ? [`The old key is kept as ${rotated.previousKey}: backups taken before now need it. Delete it once you no longer need them.`]
          : ['Drop the old key from HOOKBENCH_SECRET_KEY on every instance now.']),
      ].join('\n'),
    );
  },
});
