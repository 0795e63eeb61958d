/** Everything secret goes through one of these before it touches the disk. */
export interface SecretBox {
  readonly kind: string;
  seal(plain: string): string;
  open(sealed: string): string;
}
