/** Mainland mobile numbers: 11 digits, 1 then 3-9 then nine digits. */
export const MOBILE_PHONE = /^1[3-9]\d{9}$/;
