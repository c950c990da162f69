/** The URL layout of the ACME API. Every URL a client sees is built here. */
export class AcmeUrls {
  constructor(readonly base: string) {}
  get directory() {
    return `${this.base}/acme/directory`;
  }
  get newNonce() {
    return `${this.base}/acme/new-nonce`;
  }
  get newAccount() {
    return `${this.base}/acme/new-account`;
  }
  get newOrder() {
    return `${this.base}/acme/new-order`;
  }
  get revokeCert() {
    return `${this.base}/acme/revoke-cert`;
  }
  get keyChange() {
    return `${this.base}/acme/key-change`;
  }
  /** RFC 9773 §4: the renewalInfo base URL; a certificate's resource is `<renewalInfo>/<CertID>`. */
  get renewalInfo() {
    return `${this.base}/acme/renewal-info`;
  }
  account(id: string) {
    return `${this.base}/acme/acct/${id}`;
  }
  accountOrders(id: string, cursor?: string) {
    return `${this.base}/acme/acct/${id}/orders${cursor === undefined ? '' : `?cursor=${encodeURIComponent(cursor)}`}`;
  }
  order(id: string) {
    return `${this.base}/acme/order/${id}`;
  }
  finalize(id: string) {
    return `${this.base}/acme/order/${id}/finalize`;
  }
  authz(id: string) {
    return `${this.base}/acme/authz/${id}`;
  }
  challenge(id: string) {
    return `${this.base}/acme/chall/${id}`;
  }
  certificate(serial: string) {
    return `${this.base}/acme/cert/${serial}`;
  }
  /** The account id a `kid` names, or undefined when it is not one of our account URLs. */
  accountIdFromKid(kid: string): string | undefined {
    const prefix = `${this.base}/acme/acct/`;
    if (!kid.startsWith(prefix)) return undefined;
    const id = kid.slice(prefix.length);
    return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : undefined;
  }
}
