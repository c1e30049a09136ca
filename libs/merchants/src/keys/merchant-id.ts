/** The wallet's merchant ids, as the admin API accepts them (and a cursor may name them). */
export const MERCHANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
