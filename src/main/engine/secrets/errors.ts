/** A secret sealed by another store (the OS keychain, say) that this one has no way to open. */
export class ForeignSecretError extends Error {}

/**
 * The key file is missing, or is not the key that sealed the data dir's secrets. Nothing
 * signed can be verified or sent with it, so this stops whatever needs a secret.
 */
export class SecretKeyError extends Error {
  constructor(
    message: string,
    readonly keyPath: string,
  ) {
    super(message);
  }
}
