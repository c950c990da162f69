/** RFC 5280 §4.2.2.1 access methods BR §7.1.2.7.7 permits in a subscriber AIA. */
export const AD_OCSP = '1.3.6.1.5.5.7.48.1';
export const AD_CA_ISSUERS = '1.3.6.1.5.5.7.48.2';
export const ALLOWED_ACCESS_METHODS: readonly string[] = [AD_OCSP, AD_CA_ISSUERS];
