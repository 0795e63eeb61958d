/** A move that cannot go ahead as asked; nothing was written to the server. */
export class MoveRefused extends Error {}
