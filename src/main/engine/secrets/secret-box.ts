/** Everything secret goes through one of these before it touches the disk. */
export interface SecretBox {
  readonly kind: string;
  /** Where its key is, for messages: a key file's path, or HOOKBENCH_SECRET_KEY. */
  readonly where?: string;
  seal(plain: string): string;
  open(sealed: string): string;
}
